using System.CommandLine;
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
        var command = new Command("baseline", "Re-measure the gate preset and write the baseline (refuses to overwrite without --force; prints what changed).")
        {
            baseline, force,
        };
        samplers.AddTo(command);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string path = parse.GetValue(baseline) is { Length: > 0 } b ? b : RepositoryPaths.DefaultBaseline;
            using var externals = samplers.StartExternal(parse);
            var request = samplers.Request(parse, Preset.Gate, null, externals);
            bool exists = File.Exists(path);
            if (exists && !parse.GetValue(force))
                throw new UserErrorException($"{path} exists; pass --force to overwrite it (run the gate verb first to see what would change)");
            var current = ProgressDisplay.Run(request, "baseline");
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
