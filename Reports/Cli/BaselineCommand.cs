using System.CommandLine;
using Verified.Reports.Analysis;
using Verified.Reports.Experiments;
using Verified.Reports.Gate;
using Verified.Reports.Storage;

namespace Verified.Reports.Cli;

/// <summary>The <c>baseline</c> verb: re-measure the gate preset and write the baseline.</summary>
public static class BaselineCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var baseline = new Option<string>("--baseline") { Description = "Baseline file to write. Default: reports/baseline.json under the repository root." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing baseline." };
        var command = new Command("baseline", "Re-measure the gate preset and write the baseline (refuses to overwrite without --force; refuses, exit 1, when any ladder is FAIL or a sampler has no claim; prints what changed).")
        {
            baseline, force,
        };
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string path = parse.GetValue(baseline) is { Length: > 0 } b ? b : RepositoryPaths.DefaultBaseline;
            bool exists = File.Exists(path);
            if (exists && !parse.GetValue(force))
                throw new UserErrorException($"{path} exists; pass --force to overwrite it (run the gate verb first to see what would change)");
            var current = ProgressDisplay.Run(new RunRequest(Preset.Gate), "baseline");
            // A FAIL is a verdict, not a golden number: it is never recorded as the accepted state, --force or not.
            var wrong = GateComparer.MissingClaims(Verified.Numerics.SamplerRegistry.All().Select(s => s.Info))
                .Concat(current.Series.Where(s => s.Verdict == Verdict.Fail).Select(s => new GateFinding(true, s.Key, $"FAIL: {s.Reason}") { Kind = GateFindingKind.Wrong }))
                .ToList();
            if (wrong.Count > 0)
            {
                GateOutput.Print(wrong, Console.Out);
                Console.WriteLine($"baseline NOT written: {wrong.Count} ladder(s) or sampler(s) are wrong; a FAIL or a missing claim is never accepted");
                return ExitCodes.Regression;
            }
            if (exists)
            {
                try
                {
                    var old = ReportJson.Load(path);
                    var findings = GateComparer.Compare(old, current);
                    if (findings.Count == 0) Console.WriteLine("no change against the previous baseline");
                    else
                    {
                        Console.WriteLine("changes against the previous baseline:");
                        GateOutput.Print(findings, Console.Out);
                    }
                }
                catch (InputFileException e)
                {
                    Console.WriteLine($"the previous baseline was not readable ({e.Message}); replacing it");
                }
            }
            ReportJson.SaveAtomically(current, path);
            Console.WriteLine($"baseline written: {Path.GetFullPath(path)} ({current.Series.Count} ladders)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
