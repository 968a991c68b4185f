using Verified.Numerics;
using Verified.Reports.Experiments;
using Verified.Reports.Gate;
using Verified.Reports.Model;
using Verified.Reports.Subjects;

namespace Verified.Reports;

/// <summary>
/// The entry point for measuring any <see cref="Sampler"/> — Verified's own or a user's — with the experiments of the
/// report: the exact tier (Gaussian data, exact output laws), the mixture tier (Gaussian mixtures against an RK45 or
/// fine-Brownian-path reference), and the tolerance tier (adaptive samplers implementing <see cref="IAdaptiveSampler"/>).
/// Which experiments apply is read from each sampler's <see cref="SamplerInfo"/> only. Every ladder is fitted
/// (least-squares slope of log error against log N on the asymptotic window) and judged against the declared order
/// (<see cref="Analysis.Verdicts"/>); the result is the same <see cref="ReportDocument"/> the <c>verified report</c>
/// command writes as report.json, so it can be saved, compared with a baseline, or rendered.
/// </summary>
public static class Verify
{
    /// <summary>Measures <paramref name="samplers"/> with <paramref name="preset"/> (e.g. <see cref="Preset.Quick"/> in
    /// a unit test, <see cref="Preset.Gate"/> for a baseline).</summary>
    /// <param name="samplers">Samplers with unique <see cref="SamplerInfo.Name"/>s. One instance serves every job of
    /// its sampler, possibly on several threads at once: per-run state belongs in <see cref="SamplingRun"/>, as the
    /// <see cref="Sampler"/> contract requires. Use <see cref="Catalog"/> with factories otherwise.</param>
    /// <param name="preset">Ladders, sample counts and problems.</param>
    /// <param name="problems">Problem names (<see cref="Experiments.Problems.Names"/>); null = the preset's.</param>
    /// <param name="threads">Parallel jobs (default: all cores); the numbers do not depend on it.</param>
    /// <returns>One <see cref="SeriesResult"/> per (sampler, problem, schedule, metric), with fit and verdict.</returns>
    /// <exception cref="ArgumentException">two samplers share a name, or a problem name is unknown.</exception>
    public static ReportDocument Samplers(IEnumerable<Sampler> samplers, Preset preset, IReadOnlyList<string>? problems = null, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(samplers);
        return Catalog(SamplerCatalog.Of(samplers), preset, problems, threads);
    }

    /// <summary>Measures every sampler of <paramref name="catalog"/> (each job gets a fresh instance from its factory).</summary>
    /// <param name="catalog">The samplers, e.g. <c>SamplerCatalog.BuiltIn.With(mine)</c>.</param>
    /// <param name="preset">Ladders, sample counts and problems.</param>
    /// <param name="problems">Problem names; null = the preset's.</param>
    /// <param name="threads">Parallel jobs (default: all cores).</param>
    /// <exception cref="ArgumentException">a problem name is unknown.</exception>
    public static ReportDocument Catalog(SamplerCatalog catalog, Preset preset, IReadOnlyList<string>? problems = null, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(preset);
        return ReportRunner.Run(new RunRequest(preset, null, problems, catalog), threads: threads);
    }

    /// <summary>The ladders of one sampler on one problem and schedule: the tier that applies (tolerance tier when
    /// <see cref="SamplerInfo.EvaluationsPerStep"/> is null, exact tier on a Gaussian problem, mixture tier otherwise),
    /// each fitted and judged. Empty when the sampler declares no order for any metric of that tier.</summary>
    /// <param name="sampler">Any sampler.</param>
    /// <param name="problem">One of <see cref="Experiments.Problems.All"/>.</param>
    /// <param name="schedule">One of <see cref="ScheduleCases.All"/> that applies to the sampler (<see cref="ScheduleCase.AppliesTo"/>).</param>
    /// <param name="preset">Ladders and sample counts.</param>
    /// <exception cref="ArgumentException">the schedule does not apply to the sampler, or an adaptive sampler does not implement <see cref="IAdaptiveSampler"/>.</exception>
    public static IReadOnlyList<SeriesResult> Ladders(Sampler sampler, Problem problem, ScheduleCase schedule, Preset preset)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(preset);
        if (!schedule.AppliesTo(sampler.Info))
            throw new ArgumentException($"schedule '{schedule.Name}' does not apply to {sampler.Info.Name} (it requires {sampler.Info.Requires})", nameof(schedule));
        if (sampler.Info.EvaluationsPerStep is null && sampler is not IAdaptiveSampler)
            throw new ArgumentException($"{sampler.Info.Name} is adaptive (EvaluationsPerStep null) but does not implement IAdaptiveSampler, so no tolerance ladder can be built", nameof(sampler));
        return ReportRunner.MeasureAndJudge(sampler, problem, schedule, preset);
    }

    /// <summary>The gate comparison of <paramref name="current"/> against <paramref name="baseline"/>
    /// (<see cref="GateComparer.Compare"/>); a finding with <see cref="GateFinding.IsRegression"/> fails the gate.</summary>
    /// <exception cref="ArgumentException">the two documents were measured with different presets or settings.</exception>
    public static IReadOnlyList<GateFinding> AgainstBaseline(ReportDocument baseline, ReportDocument current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        if (GateComparer.SettingsMismatch(baseline, current) is string mismatch) throw new ArgumentException(mismatch, nameof(baseline));
        return GateComparer.Compare(baseline, current);
    }
}
