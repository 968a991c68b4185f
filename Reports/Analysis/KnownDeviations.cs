namespace Verified.Reports.Analysis;

/// <summary>
/// Rows that are known, for a theoretical reason, not to show a sampler's declared order on our ladders. The
/// reason is appended to the row (the verdict itself is not changed: a FAIL stays visible, with its cause).
/// Matching is by sampler name prefix, and optionally schedule and metric; null matches anything.
/// </summary>
public static class KnownDeviations
{
    /// <summary>One known deviation.</summary>
    public sealed record Entry(string SamplerPrefix, string? Schedule, string? Metric, string Explanation);

    /// <summary>The known deviations.</summary>
    public static IReadOnlyList<Entry> All { get; } =
    [
        new("reverse-sde-em", "linear-interpolant", "weak-w2",
            "under the linear interpolant alpha(t) = 1 - t is linear, so an Euler-Maruyama step maps the exact mean alpha(t) mu to the exact " +
            "mean at the next node (the score term vanishes on the mean): the O(h) weak error sits only in the covariance, where its " +
            "coefficient is small, and O(h^2) terms dominate on these ladders (observed order ~2; the declared 1 is a lower bound and is " +
            "seen on the ring, where the mean is not propagated exactly). Kloeden & Platen (1992), Thm 14.5.1, give order 1 as the general rate"),
        new("", "vp-cosine", "strong-path",
            "Euler-Maruyama freezes g(t) at the left end of each step; near T = 0.99 the VP-cosine g(t) grows like (1 - t)^(-1/2), so the " +
            "term int (g(s) - g(t_i)) dW dominates the strong error until h << 1 - T; the order-1 rate for additive noise assumes a smooth g " +
            "(Kloeden & Platen 1992, Sec. 10.2)"),
        new("", "edm", "weak-moment",
            "on the EDM schedule (sigma_max = 80) the weak error of phi(x) = |x|^2/d falls below the Monte Carlo resolution of the default " +
            "sample count after N = 8; the full preset (4x the samples) resolves more of the ladder"),
    ];

    /// <summary>The explanation for a row, or null.</summary>
    public static string? Explain(string sampler, string schedule, string metric) =>
        All.FirstOrDefault(e => sampler.StartsWith(e.SamplerPrefix, StringComparison.Ordinal)
            && (e.Schedule is null || e.Schedule == schedule) && (e.Metric is null || e.Metric == metric))?.Explanation;
}
