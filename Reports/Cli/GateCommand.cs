using System.CommandLine;
using System.Diagnostics;
using Verified.Reports.Experiments;
using Verified.Reports.Gate;
using Verified.Reports.Storage;

namespace Verified.Reports.Cli;

/// <summary>The <c>gate</c> verb: re-measure and compare with the committed baseline.</summary>
public static class GateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var baseline = new Option<string>("--baseline") { Description = "Baseline file. Default: reports/baseline.json under the repository root." };
        var samplers = new SamplerOptions("Gate only these samplers (exact names, built-in or from --assembly; space or comma separated); the baseline is judged only for them.");
        var command = new Command("gate", "Regression gate: re-measure the gate preset and compare with the baseline. Exit 0 pass, 1 regression, 2 usage or input error.")
        {
            baseline,
        };
        samplers.AddTo(command);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            using var externals = samplers.StartExternal(parse);
            var request = samplers.Request(parse, Preset.Gate, null, externals);
            return GateCheck.Run(parse.GetValue(baseline) is { Length: > 0 } b ? b : RepositoryPaths.DefaultBaseline, Console.Out, request);
        }));
        return command;
    }
}

/// <summary>The gate itself, shared by the <c>gate</c> verb and the end of <c>report</c>.</summary>
public static class GateCheck
{
    /// <summary>Re-measures the gate preset, compares it with the baseline at <paramref name="path"/>, prints the findings;
    /// returns 0 when nothing regressed, 1 otherwise. A missing or malformed baseline throws InputFileException (exit 2).
    /// <paramref name="request"/> chooses the samplers (default: every built-in one); its preset is replaced by the gate
    /// preset. When it names samplers, the baseline is judged only for those.</summary>
    public static int Run(string path, TextWriter output, RunRequest? request = null)
    {
        if (!File.Exists(path)) throw new InputFileException($"baseline file {path} does not exist; record one with the baseline verb");
        var old = ReportJson.Load(path); // before measuring: a bad file fails in milliseconds
        request = (request ?? new RunRequest(Preset.Gate)) with { Preset = Preset.Gate };
        if (request.Samplers is { } only)
            old = old with { Series = old.Series.Where(s => only.Contains(s.Sampler)).ToList() };
        var sw = Stopwatch.StartNew();
        var current = ProgressDisplay.Run(request, "gate");
        if (GateComparer.SettingsMismatch(old, current) is string mismatch)
            throw new InputFileException($"{path}: {mismatch}; re-record it with the baseline verb --force");
        var findings = GateComparer.Compare(old, current);
        GateOutput.Print(findings, output);
        int regressions = findings.Count(f => f.IsRegression);
        output.WriteLine(regressions == 0
            ? $"gate PASSED: {current.Series.Count} ladders match {Path.GetFileName(path)} ({sw.Elapsed.TotalSeconds:0.0} s)"
            : $"gate FAILED: {regressions} regression(s) in {findings.Where(f => f.IsRegression).Select(f => f.Key).Distinct().Count()} ladder(s) ({sw.Elapsed.TotalSeconds:0.0} s)");
        return regressions == 0 ? ExitCodes.Ok : ExitCodes.Regression;
    }
}

/// <summary>Prints gate findings grouped by ladder.</summary>
public static class GateOutput
{
    /// <summary>Regressions first, then notes; one heading per ladder.</summary>
    public static void Print(IReadOnlyList<GateFinding> findings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var group in findings.GroupBy(f => (f.IsRegression, f.Key)).OrderBy(g => g.Key.IsRegression ? 0 : 1))
        {
            output.WriteLine($"{(group.Key.IsRegression ? "REGRESSION" : "note      ")}  {group.Key.Key}");
            foreach (var f in group) output.WriteLine($"    {f.Message}");
        }
    }
}
