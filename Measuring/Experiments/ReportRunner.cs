using System.Collections.Concurrent;
using Verified.Numerics;
using Verified.Reports.Analysis;
using Verified.Reports.Model;
using Verified.Reports.Subjects;

namespace Verified.Reports.Experiments;

/// <summary>What to run: a preset, optional filters (null = all) and the samplers to choose from.</summary>
/// <param name="Preset">Ladders, sample counts and problems.</param>
/// <param name="Samplers">Exact sampler names to measure (null = every sampler of the catalog).</param>
/// <param name="Problems">Problem names (null = the preset's problems).</param>
/// <param name="Catalog">The samplers to choose from; null = <see cref="SamplerCatalog.BuiltIn"/>.</param>
public sealed record RunRequest(Preset Preset, IReadOnlyList<string>? Samplers = null, IReadOnlyList<string>? Problems = null, SamplerCatalog? Catalog = null)
{
    /// <summary>The catalog the request chooses from (<see cref="SamplerCatalog.BuiltIn"/> when none was given).</summary>
    public SamplerCatalog EffectiveCatalog => Catalog ?? SamplerCatalog.BuiltIn;

    /// <summary>The subjects the request measures: the catalog filtered by <see cref="Samplers"/>.</summary>
    /// <exception cref="ArgumentException">a name in <see cref="Samplers"/> is not in the catalog.</exception>
    public IReadOnlyList<SamplerSubject> SelectedSubjects() => EffectiveCatalog.Only(Samplers?.ToList()).Subjects;
}

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
        if (request.EffectiveCatalog.Unknown(request.Samplers ?? []) is string unknown) return unknown;
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
        var subjects = request.SelectedSubjects();
        var samplers = subjects.Select(s => s.Instance()).ToList();
        var problems = (request.Problems ?? preset.Problems).Select(p => Problems.Find(p)!).ToList();
        var notes = new List<string>();
        var jobs = new List<(SamplerSubject Subject, Problem Problem, ScheduleCase Case)>();
        foreach (var (sampler, subject) in samplers.Zip(subjects))
        {
            var info = sampler.Info;
            if (info.StrongOrder is null && info.WeakOrder is null)
            {
                notes.Add($"{info.Name}: declares neither a strong nor a weak order, so there is nothing to verify; not measured.");
                continue;
            }
            if (info.EvaluationsPerStep is null && ToleranceTier.Rebuild(sampler) is null)
            {
                notes.Add($"{info.Name}: adaptive, but does not implement IAdaptiveSampler, so no tolerance ladder can be built; not measured.");
                continue;
            }
            if (!info.IsAffine && info.EvaluationsPerStep is not null && problems.Any(p => p.IsGaussian))
                notes.Add($"{info.Name}: not a fixed affine map on Gaussian data (IsAffine = false), so its tier-0 weak error has no exact output law; measured in tier 1 only.");
            foreach (var problem in problems)
                foreach (var sc in ScheduleCases.All.Where(c => c.AppliesTo(info)))
                    jobs.Add((subject, problem, sc));
        }
        var results = new ConcurrentDictionary<int, List<SeriesResult>>();
        var mixture = new MixtureStatistics();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        int done = 0;
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount }, j =>
        {
            var (subject, problem, sc) = jobs[j];
            string name = subject.Name;
            var sampler = subject.Instance(); // own instance per job: nothing shared between threads
            results[j] = MeasureAndJudge(sampler, problem, sc, preset, mixture);
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
            ScheduleCases.All.Select(c => new ScheduleSetting(c.Name, c.TStart, c.TMin, c.GridName)).ToList(), Metrics.Definitions,
            preset.MaxMonteCarloSamples, preset.TargetRelativeHalfWidth);
        return new ReportDocument(ReportDocument.CurrentSchema, preset.Name, settings, series, study, notes);
    }

    /// <summary>One job: the tier that applies to the sampler on this problem (tolerance tier for adaptive samplers,
    /// exact tier on Gaussian data, mixture tier otherwise), each ladder judged under <see cref="OrderClaim"/> and
    /// extended while it is pre-asymptotic.</summary>
    internal static List<SeriesResult> MeasureAndJudge(Sampler sampler, Problem problem, ScheduleCase sc, Preset preset, MixtureStatistics? mixture = null)
    {
        string name = sampler.Info.Name;
        return MeasureAll(sampler, problem, sc, preset, null, mixture)
            .Select(m => JudgeExtending(name, problem, sc, preset, m, ladder => MeasureAll(sampler, problem, sc, preset, ladder, null, m.Metric).Single()))
            .ToList();
    }

    /// <summary>Every ladder of one job, or only the one of metric <paramref name="only"/> (a ladder extension measures
    /// just the ladder it extends); <paramref name="ladder"/> replaces the preset's ladder of the job's tier (null: the preset's).</summary>
    private static IEnumerable<Measurement> MeasureAll(Sampler sampler, Problem problem, ScheduleCase sc, Preset preset, IReadOnlyList<int>? ladder, MixtureStatistics? mixture, Metric? only = null) =>
        sampler.Info.EvaluationsPerStep is null
            ? ToleranceTier.Rebuild(sampler) is { } build ? ToleranceTier.Measure(build, problem, sc, preset) : []
            : problem.IsGaussian
                ? ExactTier.Measure(sampler, problem, sc, ladder is null ? preset : preset with { ExactLadder = [.. ladder] }, only)
                : MixtureTier.Measure(sampler, problem, sc, ladder is null ? preset : preset with { MixtureLadder = [.. ladder] }, mixture, only);

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
