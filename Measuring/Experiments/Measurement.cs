using System.Diagnostics;
using Verified.Numerics;
using Verified.Reports.Model;

namespace Verified.Reports.Experiments;

/// <summary>A measured ladder before fitting: metric, declared order, points and the round-off floor below which
/// an error says nothing about discretisation.</summary>
/// <param name="Metric">Metric name.</param>
/// <param name="Tier">exact or monte-carlo.</param>
/// <param name="DeclaredOrder">The order the sampler declares for this metric.</param>
/// <param name="Points">The ladder.</param>
/// <param name="RoundOffFloor">Errors below this are round-off.</param>
/// <param name="AtLeast">True when the claim is one-sided (error at least as small as the declared rate gives; used
/// for error-vs-tolerance ladders, where "proportional to tol" is an upper bound).</param>
internal sealed record Measurement(string Metric, string Tier, double DeclaredOrder, IReadOnlyList<LadderPoint> Points, double RoundOffFloor, bool AtLeast = false);

/// <summary>Names of the metrics and tiers (the strings in report.json and the baseline).</summary>
internal static class Metrics
{
    public const string Exact = "exact";
    public const string MonteCarlo = "monte-carlo";
    public const string StrongFlowMap = "strong-flow-map";
    public const string WeakW2 = "weak-w2";
    public const string StrongRk45 = "strong-rk45";
    public const string StrongPath = "strong-path";
    public const string WeakMoment = "weak-moment";
    public const string StrongFlowMapTolerance = "strong-flow-map-vs-tol";
    public const string StrongRk45Tolerance = "strong-rk45-vs-tol";

    /// <summary>Definitions written into every report.</summary>
    public static IReadOnlyDictionary<string, string> Definitions { get; } = new Dictionary<string, string>
    {
        [StrongFlowMap] = "tier 0, deterministic samplers: RMS over the fixed start points x_i ~ p_T of |X_N(x_i) - Phi(x_i, T -> t_min)|, Phi the closed-form PF-ODE flow map",
        [WeakW2] = "tier 0: W2 between the sampler's exact Gaussian output law (start law = exact p_T) and the exact p_{t_min}; KL of the same pair is listed beside it (KL ~ W2^2, so its order is twice)",
        [StrongRk45] = "tier 1, deterministic samplers: RMS over the fixed start points of |X_N(x_i) - X_ref(x_i)|, X_ref = Dormand-Prince RK45 on the PF-ODE (rtol 1e-10, atol 1e-12)",
        [StrongPath] = "tier 1, stochastic samplers: RMS over M paths of |X_N - X_ref|, X_ref = the same sampler on the fine Brownian path (same start, same path); CI by the delta method, plus an allowance for the reference's own error e(N_max) (N_max/N_ref)^p under the declared order p",
        [WeakMoment] = "tier 1, stochastic samplers: |E phi(X_N) - E phi(X_ref)| with phi(x) = |x|^2 / d, estimated from M coupled pairs (same start and Brownian path), M chosen per ladder from a pilot's variance for the wanted CI width; 95% CI = 1.96 sd / sqrt(M) plus the same reference allowance",
        [StrongFlowMapTolerance] = "adaptive samplers, tier 0: strong-flow-map error of the sampler rebuilt with rtol = atol = tol, one adaptive solve T -> t_min; N = 1/tol, NFE = mean over the start points; error proportional to tol means slope 1",
        [StrongRk45Tolerance] = "adaptive samplers, tier 1: as strong-rk45, against tol; the reference runs at rtol 1e-10, so tol stops at 1e-7",
    };
}

/// <summary>Wall time and NFE of one sampling run.</summary>
internal static class Timing
{
    /// <summary>Repeats <paramref name="run"/> until 10 ms have passed (at most 64 times) and returns the mean
    /// seconds per run and the NFE of the last run.</summary>
    public static (double Seconds, int Nfe) PerSample(Func<SamplingResult> run)
    {
        var sw = Stopwatch.StartNew();
        int repeats = 0, nfe = 0;
        do { nfe = run().Evaluations; repeats++; } while (sw.Elapsed.TotalMilliseconds < 10 && repeats < 64);
        return (sw.Elapsed.TotalSeconds / repeats, nfe);
    }
}
