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
        var samplers = new SamplerOptions("Record only these samplers (exact names, built-in or from --assembly; space or comma separated).");
        var shard = Shard.Option();
        var command = new Command("baseline", "Re-measure the gate preset and write the baseline (refuses to overwrite without --force; refuses, exit 1, when any ladder is FAIL or a sampler has no claim; prints what changed). With --shard, write a shard's part for the merge verb.")
        {
            baseline, force, shard,
        };
        samplers.AddTo(command);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string path = parse.GetValue(baseline) is { Length: > 0 } b ? b : RepositoryPaths.DefaultBaseline;
            if (Directory.Exists(path)) throw new UserErrorException($"--baseline {path} is a directory; pass the baseline file to write (e.g. {Path.Combine(path, "baseline.json")})");
            using var externals = samplers.StartExternal(parse);
            var request = samplers.Request(parse, Preset.Gate, null, externals);
            bool exists = File.Exists(path);
            if (exists && !parse.GetValue(force))
                throw new UserErrorException($"{path} exists; pass --force to overwrite it (run the gate verb first to see what would change)");
            if (Shard.Parse(parse.GetValue(shard)) is { } part)
            {
                if (parse.GetValue(baseline) is not { Length: > 0 })
                    throw new UserErrorException("--shard: pass --baseline FILE for this shard's part (the merge verb joins the parts into reports/baseline.json)");
                request = request with { Samplers = part.Samplers(request.EffectiveCatalog, request.Samplers) };
            }
            var current = ProgressDisplay.Run(request, "baseline");
            // A FAIL is a verdict, not a golden number: it is never recorded as the accepted state, --force or not.
            var wrong = GateComparer.MissingClaims(request.SelectedSubjects().Select(s => s.Instance().Info))
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
                    var old = BaselineFile.Load(path);
                    if (request.Samplers is { } only) old = old with { Series = old.Series.Where(s => only.Contains(s.Sampler)).ToList() };
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
            BaselineFile.Save(current, path);
            Console.WriteLine($"baseline written: {Path.GetFullPath(path)} and {BaselineFile.SamplesPath(Path.GetFileName(path))} ({current.Series.Count} ladders)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
