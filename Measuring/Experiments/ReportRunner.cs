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
        var mixture = new MixtureStatistics();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        int done = 0;
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount }, j =>
        {
            var (name, problem, sc) = jobs[j];
            var sampler = SamplerRegistry.ByName(name); // own instance per job: nothing shared between threads
            var measurements = sampler.Info.EvaluationsPerStep is null
                ? ToleranceTier.Measure(ToleranceTier.Rebuild(sampler)!, problem, sc, preset)
                : problem.IsGaussian
                    ? ExactTier.Measure(sampler, problem, sc, preset)
                    : MixtureTier.Measure(sampler, problem, sc, preset, mixture);
            results[j] = measurements.Select(m => Judge(name, problem.Name, sc.Name, m)).ToList();
            progress?.Invoke(Interlocked.Increment(ref done), jobs.Count, $"{name} / {problem.Name} / {sc.Name}");
        });
        var series = Enumerable.Range(0, jobs.Count).SelectMany(j => results[j]).ToList();
        var study = preset.DdpmStudy ? DdpmStudy.Run(samplers, problems, preset) : [];
        if (mixture.Note(preset) is string throughput)
            notes.Add(FormattableString.Invariant(
                $"{throughput} (whole run: {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.0} s CPU in {wall.Elapsed.TotalSeconds:0.0} s wall; a CPU share below the thread count means other jobs shared the machine)"));
        if (request.Samplers is not null) notes.Add($"samplers restricted to: {string.Join(", ", request.Samplers)}");
        if (request.Problems is not null) notes.Add($"problems restricted to: {string.Join(", ", request.Problems)}");
        var settings = new RunSettings(preset.ExactLadder, preset.MixtureLadder, preset.MixtureLadder[^1] * preset.ReferenceFactor,
            preset.StrongStarts, preset.MonteCarloSamples, Preset.Seed,
            ScheduleCases.All.Select(c => new ScheduleSetting(c.Name, c.TStart, c.TMin, c.GridName)).ToList(), Metrics.Definitions);
        return new ReportDocument(ReportDocument.CurrentSchema, preset.Name, settings, series, study, notes);
    }

    private static SeriesResult Judge(string sampler, string problem, string schedule, Measurement m)
    {
        var fit = OrderFit.Fit(m.Points.Select(p => new ErrorPoint(p.N, p.Error, p.HalfWidth)).ToList(), m.RoundOffFloor);
        var steps = m.Points.Select(p => p.N).ToList();
        var (verdict, reason) = Verdicts.Judge(m.Tier, m.DeclaredOrder, fit, steps, m.AtLeast);
        if (verdict != Verdict.Pass && KnownDeviations.Explain(sampler, schedule, m.Metric) is string why)
            reason = $"{reason}. Known cause: {why}";
        var points = m.Points.Select((p, i) => p with { Dropped = Verdicts.DropName(fit.Dropped[i]) }).ToList();
        return new SeriesResult(sampler, problem, schedule, m.Tier, m.Metric, m.DeclaredOrder, points, Verdicts.ToResult(fit), verdict, reason);
    }
}
