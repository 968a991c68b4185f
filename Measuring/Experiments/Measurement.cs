using System.Diagnostics;
using Verified.Numerics;
using Verified.Reports.Analysis;
using Verified.Reports.Model;

namespace Verified.Reports.Experiments;

/// <summary>A measured ladder before fitting: metric, declared order, points and the round-off floor below which
/// an error says nothing about discretisation.</summary>
/// <param name="Metric">Metric name.</param>
/// <param name="Tier">exact or monte-carlo.</param>
/// <param name="DeclaredOrder">The order the sampler declares for this metric.</param>
/// <param name="Points">The ladder.</param>
/// <param name="RoundOffFloor">Errors below this are round-off.</param>
internal sealed record Measurement(Metric Metric, Tier Tier, double DeclaredOrder, IReadOnlyList<LadderPoint> Points, double RoundOffFloor);

/// <summary>Metric definitions, in words.</summary>
internal static class Metrics
{

    /// <summary>Definitions written into every report.</summary>
    public static IReadOnlyDictionary<string, string> Definitions { get; } = new Dictionary<string, string>
    {
        [Metric.StrongFlowMap.Name] = "tier 0, deterministic samplers: RMS over the fixed start points x_i ~ p_T of |X_N(x_i) - Phi(x_i, T -> t_min)|, Phi the closed-form PF-ODE flow map",
        [Metric.WeakW2.Name] = "tier 0: W2 between the sampler's exact Gaussian output law (start law = exact p_T) and the exact p_{t_min}; KL of the same pair is listed beside it (KL ~ W2^2, so its order is twice)",
        [Metric.StrongRk45.Name] = "tier 1, deterministic samplers: RMS over the fixed start points of |X_N(x_i) - X_ref(x_i)|, X_ref = Dormand-Prince RK45 on the PF-ODE (rtol 1e-10, atol 1e-12)",
        [Metric.StrongPath.Name] = "tier 1, stochastic samplers: mean over M paths of |X_N - X_ref| (the strong error of Kloeden and Platen), X_ref = the same sampler on the fine Brownian path (same start, same path); CI 1.96 sd / sqrt(M), plus an allowance for the reference's own error e(N_max) (N_max/N_ref)^p under the declared order p",
        [Metric.WeakMoment.Name] = "tier 1, stochastic samplers: |E phi(X_N) - E phi(X_ref)| with phi(x) = |x|^2 / d, estimated from M coupled pairs (same start and Brownian path) after the pilot, M chosen per ladder from the pilot for a 95% half-width of the target fraction of the error at the finest four points; 95% CI = 1.96 sd / sqrt(M) plus the same reference allowance",
        [Metric.WeakModeDistance.Name] = "tier 1, stochastic samplers: as weak-moment with phi(x) = -(2 v / d) log sum_k w_k exp(-|x - mu_k|^2 / (2 v)), the smooth squared distance to the nearest mode (v the mean per-coordinate component variance); the pilot picks, per ladder, whichever of the two test functions needs fewer pairs and keeps one sign at the fine end",
        [Metric.StrongFlowMapTolerance.Name] = "adaptive samplers, tier 0: strong-flow-map error of the sampler rebuilt with rtol = atol = tol, one adaptive solve T -> t_min; N = 1/tol, NFE = mean over the start points; error proportional to tol means slope 1",
        [Metric.StrongRk45Tolerance.Name] = "adaptive samplers, tier 1: as strong-rk45, against tol; the reference runs at rtol 1e-10, so tol stops at 1e-7",
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
