using Verified.Reports.Analysis;

namespace Verified.Reports.Model;

/// <summary>
/// The whole result of one run: what report.json holds and what the committed baseline holds (the baseline is
/// a report of the "gate" preset with per-sample Monte Carlo values kept). Schema documented in docs/REPORTS.md.
/// </summary>
/// <param name="Schema">"verified-report/&lt;version&gt;"; readers refuse other versions.</param>
/// <param name="Preset">quick, default, full or gate.</param>
/// <param name="Settings">What was run.</param>
/// <param name="Series">One entry per (sampler, problem, schedule, metric).</param>
/// <param name="DdpmStudy">DDPM variance choice study rows (reported, not asserted); empty if not run.</param>
/// <param name="Notes">Free-text remarks (skipped samplers, filters).</param>
public sealed record ReportDocument(
    string Schema,
    string Preset,
    RunSettings Settings,
    IReadOnlyList<SeriesResult> Series,
    IReadOnlyList<DdpmStudyRow> DdpmStudy,
    IReadOnlyList<string> Notes)
{
    /// <summary>The current schema id.</summary>
    public const string CurrentSchema = "verified-report/1";

    /// <summary>A copy without per-sample Monte Carlo values (they are only needed by the gate).</summary>
    public ReportDocument WithoutSamples() =>
        this with { Series = Series.Select(s => s with { Points = s.Points.Select(p => p with { Samples = null }).ToList() }).ToList() };
}

/// <summary>Settings of a run.</summary>
/// <param name="ExactLadder">Step counts N for tier 0.</param>
/// <param name="MixtureLadder">Step counts N for tier 1.</param>
/// <param name="ReferenceSteps">Fine-path reference step count for stochastic samplers in tier 1.</param>
/// <param name="StrongStarts">Start points (or paths) of the strong error.</param>
/// <param name="MonteCarloSamples">The pilot's pairs per coupled Monte Carlo ladder (the gate's stored per-sample values).</param>
/// <param name="Seed">Base seed; sample i uses stream Derive(seed, i).</param>
/// <param name="Schedules">Time intervals and grids.</param>
/// <param name="Definitions">Metric definitions, in words.</param>
/// <param name="MaxMonteCarloSamples">The cap on the pairs M chosen per coupled ladder (null in files written before it was stored).</param>
/// <param name="TargetRelativeHalfWidth">The wanted 95% half-width over the error that chooses M (null in older files).</param>
public sealed record RunSettings(
    IReadOnlyList<int> ExactLadder,
    IReadOnlyList<int> MixtureLadder,
    int ReferenceSteps,
    int StrongStarts,
    int MonteCarloSamples,
    ulong Seed,
    IReadOnlyList<ScheduleSetting> Schedules,
    IReadOnlyDictionary<string, string> Definitions,
    int? MaxMonteCarloSamples = null,
    double? TargetRelativeHalfWidth = null);

/// <summary>One schedule's interval and grid.</summary>
public sealed record ScheduleSetting(string Name, double TStart, double TMin, string Grid);

/// <summary>One convergence ladder and its verdict.</summary>
/// <param name="Sampler">Registry name.</param>
/// <param name="Problem">Problem name.</param>
/// <param name="Schedule">Schedule case name.</param>
/// <param name="Tier">"exact" (deterministic numbers: tier 0, and ODE strong errors against RK45 in tier 1) or "monte-carlo".</param>
/// <param name="Metric">strong-flow-map, weak-w2, strong-rk45, strong-path, weak-moment.</param>
/// <param name="DeclaredOrder">The order the sampler declares for this metric.</param>
/// <param name="Points">The ladder.</param>
/// <param name="Fit">Fitted order.</param>
/// <param name="Verdict">PASS, FAIL or INCONCLUSIVE.</param>
/// <param name="Reason">Why, for every non-PASS row (and notes such as dropped points).</param>
/// <param name="RoundOffFloor">Errors below this are round-off (what the fit used; null in files written before it was
/// stored, where the points' round-off marks stand in for it). With the points it lets a stored ladder be re-judged.</param>
public sealed record SeriesResult(
    string Sampler,
    string Problem,
    string Schedule,
    Tier Tier,
    Metric Metric,
    double DeclaredOrder,
    IReadOnlyList<LadderPoint> Points,
    FitResult Fit,
    Verdict Verdict,
    string Reason,
    double? RoundOffFloor = null)
{
    /// <summary>The key the gate matches baseline and current rows by.</summary>
    public string Key => $"{Sampler} | {Problem} | {Schedule} | {Metric}";
}

/// <summary>One N of a ladder.</summary>
/// <param name="N">Steps.</param>
/// <param name="Nfe">Model evaluations of one sampling run.</param>
/// <param name="Error">The error (see the metric).</param>
/// <param name="HalfWidth">95% CI half-width (0 for exact errors).</param>
/// <param name="SecondsPerSample">Wall time of one sampling run (for work-precision).</param>
/// <param name="Kl">KL(output law || exact law) for tier-0 weak rows; null elsewhere.</param>
/// <param name="Dropped">null if used by the fit, else round-off, unresolved or not-finite.</param>
/// <param name="Samples">Per-sample contributions whose mean gives the error (Monte Carlo rows; kept in the baseline for paired comparison).</param>
public sealed record LadderPoint(
    int N,
    int Nfe,
    double Error,
    double HalfWidth,
    double SecondsPerSample,
    double? Kl,
    DropReason? Dropped,
    double[]? Samples);

/// <summary>A fitted order (nulls when no asymptotic window was found).</summary>
public sealed record FitResult(double? Order, double? CiLow, double? CiHigh, int WindowFrom, int WindowTo, IReadOnlyList<double> LocalOrders);

/// <summary>DDPM variance choice: exact KL to p_{t_min} for sigma^2 = beta and for sigma^2 = beta~ (CF.3: the Föllmer-natural one).</summary>
public sealed record DdpmStudyRow(string Problem, string Schedule, string Sampler, int N, double Kl, double W2);
