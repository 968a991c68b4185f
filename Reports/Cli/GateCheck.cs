using System.Diagnostics;
using Verified.Reports.Experiments;
using Verified.Reports.Gate;
using Verified.Reports.Storage;

namespace Verified.Reports.Cli;

/// <summary>The gate itself, shared by the <c>gate</c> verb and the end of <c>report</c>.</summary>
public static class GateCheck
{
    /// <summary>Re-measures the gate preset, compares it with the baseline at <paramref name="path"/>, prints the findings;
    /// returns 0 when nothing regressed, 1 otherwise. A missing or malformed baseline throws InputFileException (exit 2).
    /// <paramref name="request"/> chooses the samplers (default: every built-in one); its preset is replaced by the gate
    /// preset. When it names samplers, the baseline is judged only for those.</summary>
    public static int Run(string path, TextWriter output, RunRequest? request = null)
    {
        var old = BaselineFile.Load(path, Preset.Gate.Name); // before measuring: a bad file fails in milliseconds
        request = (request ?? new RunRequest(Preset.Gate)) with { Preset = Preset.Gate };
        if (request.Samplers is { } only)
            old = old with { Series = old.Series.Where(s => only.Contains(s.Sampler)).ToList() };
        var sw = Stopwatch.StartNew();
        var current = ProgressDisplay.Run(request, "gate");
        if (GateComparer.SettingsMismatch(old, current) is string mismatch)
            throw new InputFileException($"{path}: {mismatch}; re-record it with the baseline verb --force");
        var findings = GateComparer.MissingClaims(Verified.Numerics.SamplerRegistry.All().Select(s => s.Info)).Concat(GateComparer.Compare(old, current)).ToList();
        GateOutput.Print(findings, output);
        int compared = GateComparer.ComparedCount(old, current);
        int wrong = findings.Where(f => f.Kind == GateFindingKind.Wrong).Select(f => f.Key).Distinct().Count();
        int changed = findings.Where(f => f.Kind == GateFindingKind.Changed).Select(f => f.Key).Distinct().Count();
        output.WriteLine(wrong + changed == 0
            ? $"gate PASSED: {compared} ladders compared with {Path.GetFileName(path)}, none wrong, none changed ({sw.Elapsed.TotalSeconds:0.0} s)"
            : $"gate FAILED: {wrong} wrong (verdict FAIL or no claim), {changed} changed against {Path.GetFileName(path)}, of {compared} ladders compared ({sw.Elapsed.TotalSeconds:0.0} s)");
        return wrong + changed == 0 ? ExitCodes.Ok : ExitCodes.Regression;
    }
}

/// <summary>Prints gate findings grouped by ladder.</summary>
public static class GateOutput
{
    /// <summary>Wrong (verdicts) first, then changed (drift), then notes; one heading per ladder.</summary>
    public static void Print(IReadOnlyList<GateFinding> findings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var group in findings.GroupBy(f => (f.Kind, f.Key)).OrderBy(g => g.Key.Kind))
        {
            output.WriteLine($"{Label(group.Key.Kind)}  {group.Key.Key}");
            foreach (var f in group) output.WriteLine($"    {f.Message}");
        }
    }

    /// <summary>"WRONG" for a verdict, "CHANGED" for golden drift, "note" for information.</summary>
    private static string Label(GateFindingKind kind) => kind switch
    {
        GateFindingKind.Wrong => "WRONG     ",
        GateFindingKind.Changed => "CHANGED   ",
        _ => "note      ",
    };
}
