namespace Verified.Reports.Analysis;

/// <summary>
/// Rows that are known, for a theoretical reason, not to show a sampler's declared order on our ladders. The
/// reason is appended to the row (the verdict itself is not changed: a FAIL stays visible, with its cause).
/// Matching is by sampler name prefix, and optionally schedule and metric; null matches anything.
/// </summary>
public static class KnownDeviations
{
    /// <summary>One known deviation.</summary>
    public sealed record Entry(string SamplerPrefix, string? Schedule, Metric? Metric, string Explanation);

    /// <summary>The known deviations.</summary>
    public static IReadOnlyList<Entry> All { get; } =
    [
        new("rk45", null, null,
            "an adaptive controller changes its step sequence in discrete jumps as tol changes, so error against tol is a staircase " +
            "around a power law, not a clean one; tolerance proportionality holds only on average (Hairer, Norsett & Wanner, " +
            "Solving ODEs I, 2nd ed. 1993, Sec. II.4)"),
        new("pc(snr=0.16,m=1,shrink)", null, null,
            "Song et al.'s norm-ratio corrector step epsilon = 2 a (snr |z| / |s(x)|)^2 is unbounded where the score vanishes (the " +
            "ring's centre, the saddles between modes), and the corrector's kick ~ |z|^2 / |s| then has a tail P(> y) ~ 1/y^2 in 2-D, " +
            "so the coupled differences of |x|^2/d and of the nearest-mode distance have no finite variance and no sample count " +
            "resolves them (a bounded test function is resolved at coarse N but its error did not shrink from N = 32 to 64). " +
            "The affine 'fixed' rule, which replaces the norms by their scale, is checked instead (exact tier and ring)"),
        new("", null, Metric.WeakMoment,
            "the weak error of phi(x) = |x|^2/d is much smaller than its coupled Monte Carlo noise here; the exact tier measures " +
            "the same samplers' weak orders without sampling noise"),
    ];

    /// <summary>The explanation for a row, or null.</summary>
    public static string? Explain(string sampler, string schedule, Metric metric) =>
        All.FirstOrDefault(e => sampler.StartsWith(e.SamplerPrefix, StringComparison.Ordinal)
            && (e.Schedule is null || e.Schedule == schedule) && (e.Metric is null || e.Metric == metric))?.Explanation;
}
