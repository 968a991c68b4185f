using System.Collections.Concurrent;
using Verified.Numerics;
using Verified.Reports.Analysis;
using Verified.Reports.Model;

namespace Verified.Reports.Experiments;

/// <summary>What to run: a preset and optional filters (null = all).</summary>
public sealed record RunRequest(Preset Preset, IReadOnlyList<string>? Samplers = null, IReadOnlyList<string>? Problems = null);

/// <summary>
/// Runs every applicable (sampler, problem, schedule) combination of a preset and fits and judges each ladder.
/// Which experiments apply is read from each sampler's <see cref="SamplerInfo"/> (declared orders, stochasticity,
/// schedule requirement); nothing here knows a particular sampler's order.
/// </summary>
public static class ReportRunner
{
    /// <summary>Checks filter names; returns an error message naming the bad value and the valid ones, or null.</summary>
    public static string? Validate(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var samplerNames = SamplerRegistry.All().Select(s => s.Info.Name).ToList();
        foreach (var s in request.Samplers ?? [])
            if (!samplerNames.Contains(s)) return $"unknown sampler '{s}'; valid names: {string.Join(", ", samplerNames)}";
        foreach (var p in request.Problems ?? [])
            if (Problems.Find(p) is null) return $"unknown problem '{p}'; valid names: {string.Join(", ", Problems.Names)}";
        return null;
    }

    /// <summary>Runs the request. <paramref name="progress"/> receives (done, total, label) after each job. Every job is
    /// self-contained and seeded, so the result does not depend on <paramref name="threads"/> (default: all cores).</summary>
    public static ReportDocument Run(RunRequest request, Action<int, int, string>? progress = null, int? threads = null)
    {
        var error = Validate(request);
        if (error is not null) throw new ArgumentException(error, nameof(request));
        var preset = request.Preset;
        var samplers = SamplerRegistry.All().Where(s => request.Samplers is null || request.Samplers.Contains(s.Info.Name)).ToList();
        var problems = (request.Problems ?? preset.Problems).Select(p => Problems.Find(p)!).ToList();
        var notes = new List<string>();
        var jobs = new List<(string Sampler, Problem Problem, ScheduleCase Case)>();
        foreach (var sampler in samplers)
        {
            var info = sampler.Info;
            if (info.StrongOrder is null && info.WeakOrder is null)
            {
                notes.Add($"{info.Name}: declares neither a strong nor a weak order, so there is nothing to verify; not measured.");
                continue;
            }
            if (info.EvaluationsPerStep is null && ToleranceTier.Rebuild(sampler) is null)
            {
                notes.Add($"{info.Name}: adaptive, but has no public (rtol, atol) constructor to build a tolerance ladder; not measured.");
                continue;
            }
            if (!info.IsAffine && info.EvaluationsPerStep is not null && problems.Any(p => p.IsGaussian))
                notes.Add($"{info.Name}: not a fixed affine map on Gaussian data (IsAffine = false), so its tier-0 weak error has no exact output law; measured in tier 1 only.");
            foreach (var problem in problems)
                foreach (var sc in ScheduleCases.All.Where(c => c.AppliesTo(info)))
                    jobs.Add((info.Name, problem, sc));
        }
        var results = new ConcurrentDictionary<int, List<SeriesResult>>();
        int done = 0;
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount }, j =>
        {
            var (name, problem, sc) = jobs[j];
            var sampler = SamplerRegistry.ByName(name); // own instance per job: nothing shared between threads
            results[j] = MeasureAll(sampler, problem, sc, preset, null)
                .Select(m => JudgeExtending(name, problem, sc, preset, m, ladder => MeasureAll(sampler, problem, sc, preset, ladder).First(x => x.Metric == m.Metric)))
                .ToList();
            progress?.Invoke(Interlocked.Increment(ref done), jobs.Count, $"{name} / {problem.Name} / {sc.Name}");
        });
        var series = Enumerable.Range(0, jobs.Count).SelectMany(j => results[j]).ToList();
        var study = preset.DdpmStudy ? DdpmStudy.Run(samplers, problems, preset) : [];
        if (request.Samplers is not null) notes.Add($"samplers restricted to: {string.Join(", ", request.Samplers)}");
        if (request.Problems is not null) notes.Add($"problems restricted to: {string.Join(", ", request.Problems)}");
        var settings = new RunSettings(preset.ExactLadder, preset.MixtureLadder, preset.MixtureLadder[^1] * preset.ReferenceFactor,
            preset.StrongStarts, preset.MonteCarloSamples, Preset.Seed,
            ScheduleCases.All.Select(c => new ScheduleSetting(c.Name, c.TStart, c.TMin, c.GridName)).ToList(), Metrics.Definitions);
        return new ReportDocument(ReportDocument.CurrentSchema, preset.Name, settings, series, study, notes);
    }

    /// <summary>Every ladder of one job; <paramref name="ladder"/> replaces the preset's ladder of the job's tier (null: the preset's).</summary>
    private static IEnumerable<Measurement> MeasureAll(Sampler sampler, Problem problem, ScheduleCase sc, Preset preset, IReadOnlyList<int>? ladder) =>
        sampler.Info.EvaluationsPerStep is null
            ? ToleranceTier.Measure(ToleranceTier.Rebuild(sampler)!, problem, sc, preset)
            : problem.IsGaussian
                ? ExactTier.Measure(sampler, problem, sc, ladder is null ? preset : preset with { ExactLadder = [.. ladder] })
                : MixtureTier.Measure(sampler, problem, sc, ladder is null ? preset : preset with { MixtureLadder = [.. ladder] });

    /// <summary>Judges a ladder under <see cref="OrderClaim"/>, re-measuring it with N doubled while it is pre-asymptotic
    /// (tolerance ladders are not extended: their tolerances stop where the reference's accuracy does).</summary>
    private static SeriesResult JudgeExtending(string sampler, Problem problem, ScheduleCase sc, Preset preset, Measurement first, Func<IReadOnlyList<int>, Measurement> remeasure)
    {
        var steps = first.Points.Select(p => p.N).ToList();
        bool adaptive = first.Metric == Metric.StrongFlowMapTolerance || first.Metric == Metric.StrongRk45Tolerance;
        var judged = OrderClaim.JudgeExtending(first.Tier, first.DeclaredOrder, steps,
            ladder => ladder.SequenceEqual(steps) ? first : remeasure(ladder),
            m => Judging.Points(m.Points), first.RoundOffFloor, adaptive ? 0 : null);
        var m = judged.Ladder;
        return Judging.Row(sampler, problem.Name, sc.Name, m.Tier, m.Metric, m.DeclaredOrder, m.Points, m.RoundOffFloor, judged.Fit, judged.Judgement);
    }
}
