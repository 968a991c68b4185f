using System.CommandLine;
using System.Diagnostics;
using Verified.Reports.Analysis;
using Verified.Reports.Experiments;
using Verified.Reports.Output;
using Verified.Reports.Storage;

namespace Verified.Reports.Cli;

/// <summary>The <c>report</c> verb: convergence-order report (md, html, json, PNGs).</summary>
public static class ReportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output directory (replaced atomically). Default: artifacts/report under the repository root." };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: short ladders, 1-D Gaussian and the ring only (seconds)." };
        var full = new Option<bool>("--full") { Description = "Long ladders, more Monte Carlo samples, and the 16-D mixture (tens of minutes)." };
        var samplers = new SamplerOptions("Only these samplers (exact names, built-in or from --assembly; space or comma separated).");
        var problems = ListOption("--problems", $"Only these problems: {string.Join(", ", Problems.Names)}.");
        var noGate = new Option<bool>("--no-gate") { Description = "Skip the regression gate that runs after the report." };
        var baseline = new Option<string>("--baseline") { Description = "Baseline for the gate. Default: reports/baseline.json under the repository root (skipped with a note if absent)." };
        var command = new Command("report", "Measure convergence orders of every registered sampler, write report.md, report.html, report.json and PNG figures, then run the regression gate. Exit 0 written and gate passed, 1 regression, 2 usage or input error.")
        {
            outDir, quick, full, problems, noGate, baseline,
        };
        samplers.AddTo(command);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            if (parse.GetValue(quick) && parse.GetValue(full)) throw new UserErrorException("--quick and --full exclude each other; pass at most one");
            var preset = parse.GetValue(quick) ? Preset.Quick : parse.GetValue(full) ? Preset.Full : Preset.Default;
            using var externals = samplers.StartExternal(parse);
            var request = samplers.Request(parse, preset, Split(parse.GetValue(problems)), externals);
            string target = parse.GetValue(outDir) is { Length: > 0 } o ? o : RepositoryPaths.DefaultReportDirectory;
            if (File.Exists(target)) throw new UserErrorException($"--out {target} is a file; pass a directory (it is created or replaced)");
            string? explicitBaseline = parse.GetValue(baseline) is { Length: > 0 } b ? b : null;
            if (explicitBaseline is not null && !parse.GetValue(noGate) && !File.Exists(explicitBaseline))
                throw new InputFileException($"baseline file {explicitBaseline} does not exist; record one with the baseline verb, or pass --no-gate");
            var sw = Stopwatch.StartNew();
            var report = ProgressDisplay.Run(request, $"report ({preset.Name})");
            ReportWriter.Write(report, target);
            Console.WriteLine($"{Tables.Counts(report)}; written to {Path.GetFullPath(target)} in {sw.Elapsed.TotalSeconds:0.0} s");
            foreach (var s in report.Series.Where(s => s.Verdict != Verdict.Pass))
                Console.WriteLine($"  {s.Verdict,-12} {s.Key}: {s.Reason}");
            if (parse.GetValue(noGate)) return ExitCodes.Ok;
            // The main job is the report with the regression gate: an explicit --baseline must exist; the default
            // one may be absent (a checkout without baselines), which skips the gate with a note.
            if (explicitBaseline is null && !File.Exists(RepositoryPaths.DefaultBaseline))
            {
                Console.WriteLine($"gate skipped: no baseline at {RepositoryPaths.DefaultBaseline} (record one with the baseline verb)");
                return ExitCodes.Ok;
            }
            return GateCheck.Run(explicitBaseline ?? RepositoryPaths.DefaultBaseline, Console.Out, request with { Problems = null });
        }));
        return command;
    }

    /// <summary>A list option taking one or more values after one flag.</summary>
    internal static Option<string[]> ListOption(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.OneOrMore };

    /// <summary>Flattens "a,b c" into [a, b, c] (commas inside parentheses stay: sampler names carry them);
    /// null when the option was not given.</summary>
    internal static IReadOnlyList<string>? Split(string[]? values) => Subjects.SamplerNames.Parse(values);
}
