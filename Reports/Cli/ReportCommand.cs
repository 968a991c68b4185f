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
        var outDir = new Option<string>("--out") { Description = "Output directory: new, empty, or one an earlier report wrote (only the files Verified wrote there are replaced; a non-empty directory without its marker is refused). Default: artifacts/report under the repository root." };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: short ladders, 1-D Gaussian and the ring only (seconds)." };
        var full = new Option<bool>("--full") { Description = "Long ladders, more Monte Carlo samples, and the 16-D mixture (tens of minutes)." };
        var samplers = new SamplerOptions("Only these samplers (exact names, built-in or from --assembly; space or comma separated).");
        var problems = ListOption("--problems", $"Only these problems: {string.Join(", ", Problems.Names)}.");
        var noGate = new Option<bool>("--no-gate") { Description = "Skip the regression gate that runs after the report." };
        var shard = Shard.Option();
        var allowFail = new Option<bool>("--allow-fail") { Description = "Exit 0 even when a ladder's verdict is FAIL (default: a FAIL exits 1)." };
        var baseline = new Option<string>("--baseline") { Description = "Baseline for the gate. Default: reports/baseline.json under the repository root (skipped with a note if absent)." };
        var models = new Network.ModelOptions();
        var command = new Command("report", "Measure convergence orders of every registered sampler, write report.md, report.html, report.json and PNG figures, then run the regression gate. Exit 0 written, no FAIL and gate passed; 1 a FAIL verdict or a --model network missing a threshold (unless --allow-fail) or the gate failed; 2 usage or input error.")
        {
            outDir, quick, full, problems, noGate, allowFail, baseline, shard,
        };
        samplers.AddTo(command);
        models.AddTo(command);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            if (parse.GetValue(quick) && parse.GetValue(full)) throw new UserErrorException("--quick and --full exclude each other; pass at most one");
            var preset = parse.GetValue(quick) ? Preset.Quick : parse.GetValue(full) ? Preset.Full : Preset.Default;
            using var externals = samplers.StartExternal(parse);
            var request = samplers.Request(parse, preset, Split(parse.GetValue(problems)), externals);
            var part = Shard.Parse(parse.GetValue(shard));
            if (part is not null) request = request with { Samplers = part.Samplers(request.EffectiveCatalog, request.Samplers) };
            string target = parse.GetValue(outDir) is { Length: > 0 } o ? o : RepositoryPaths.DefaultReportDirectory;
            AtomicDirectory.Preflight(target); // before measuring: a directory we may not write fails in milliseconds
            string? explicitBaseline = parse.GetValue(baseline) is { Length: > 0 } b ? b : null;
            // A bad baseline fails before measuring, not after minutes of work.
            if (!parse.GetValue(noGate) && (explicitBaseline ?? (File.Exists(RepositoryPaths.DefaultBaseline) ? RepositoryPaths.DefaultBaseline : null)) is string check)
                BaselineFile.Load(check, Preset.Gate.Name);
            // Networks load (and are checked against their data law) before measuring, so a bad checkpoint writes nothing.
            var thresholds = models.Thresholds(parse);
            var (modelSteps, modelSamples) = models.Sizes(parse);
            using var loaded = models.Load(parse);
            var sw = Stopwatch.StartNew();
            var report = ProgressDisplay.Run(request, $"report ({preset.Name})");
            var networks = Network.NetworkRuns.Run(loaded.Models, Network.NetworkRuns.Drivers(request), modelSteps, modelSamples, thresholds, Console.Out);
            double measured = sw.Elapsed.TotalSeconds;
            // The gate runs before writing, so that its result is part of report.md / html / json.
            var (code, gate) = RunGate(parse.GetValue(noGate), explicitBaseline, request with { Problems = null });
            var provenance = Provenance.Collect(preset.Name, report.Settings.Seed, sw.Elapsed.TotalSeconds, RepositoryPaths.Root);
            ReportWriter.Write(report, target, gate, provenance, networks);
            Console.WriteLine($"{Tables.Counts(report)}; written to {Path.GetFullPath(target)} in {measured:0.0} s (+ gate); gate {gate.Status}");
            foreach (var s in report.Series.Where(s => s.Verdict != Verdict.Pass))
                Console.WriteLine($"  {s.Verdict,-12} {s.Key}: {ReportWriter.ShortReason(s.Reason)}");
            // A FAIL is a verdict on a sampler, not a remark: it fails the run unless explicitly allowed.
            int fails = report.Series.Count(s => s.Verdict == Verdict.Fail);
            int networkFails = networks.Count(n => n.Verdict != "PASS");
            int verdictExit = fails + networkFails > 0 && !parse.GetValue(allowFail) ? ExitCodes.Regression : ExitCodes.Ok;
            if (fails > 0) Console.WriteLine($"{fails} ladder(s) FAIL{(verdictExit == ExitCodes.Ok ? " (allowed by --allow-fail)" : "")}");
            if (networkFails > 0) Console.WriteLine($"{networkFails} network(s) FAIL{(verdictExit == ExitCodes.Ok ? " (allowed by --allow-fail)" : "")}");
            return Math.Max(verdictExit, code);
        }));
        return command;
    }

    /// <summary>Runs the gate unless skipped, echoing its output; returns the exit code and the result for the report.</summary>
    private static (int Code, GateSummary Gate) RunGate(bool skip, string? explicitBaseline, RunRequest request)
    {
        if (skip) return (ExitCodes.Ok, GateSummary.Skipped("--no-gate"));
        // An explicit --baseline must exist (checked before measuring); the default one may be absent (a checkout
        // without baselines), which skips the gate with a note.
        if (explicitBaseline is null && !File.Exists(RepositoryPaths.DefaultBaseline))
        {
            var why = $"no baseline at {RepositoryPaths.DefaultBaseline} (record one with the baseline verb)";
            Console.WriteLine($"gate skipped: {why}");
            return (ExitCodes.Ok, GateSummary.Skipped(why));
        }
        var captured = new StringWriter();
        int code;
        try
        {
            code = GateCheck.Run(explicitBaseline ?? RepositoryPaths.DefaultBaseline, captured, request);
        }
        catch (InputFileException e)
        {
            Console.Write(captured.ToString());
            Console.Error.WriteLine($"error: {e.Message}");
            return (ExitCodes.UsageOrInput, new GateSummary("ERROR", e.Message, []));
        }
        Console.Write(captured.ToString());
        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var last = lines.LastOrDefault() ?? "";
        return (code, new GateSummary(code == ExitCodes.Ok ? "PASSED" : "FAILED", last, lines.SkipLast(1).ToList()));
    }

    /// <summary>A list option taking one or more values after one flag.</summary>
    internal static Option<string[]> ListOption(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.OneOrMore };

    /// <summary>Flattens "a,b c" into [a, b, c] (commas inside parentheses stay: sampler names carry them);
    /// null when the option was not given.</summary>
    internal static IReadOnlyList<string>? Split(string[]? values) => Subjects.SamplerNames.Parse(values);
}
