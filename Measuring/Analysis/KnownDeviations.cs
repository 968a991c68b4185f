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
        new("", null, Metric.WeakMoment,
            "the weak error of phi(x) = |x|^2/d is much smaller than the strong error here, so the coupled Monte Carlo estimate " +
            "resolves only the coarse end of the ladder; the full preset (4x the samples) resolves more. The exact tier measures " +
            "the same samplers' weak orders without sampling noise"),
    ];

    /// <summary>The explanation for a row, or null.</summary>
    public static string? Explain(string sampler, string schedule, Metric metric) =>
        All.FirstOrDefault(e => sampler.StartsWith(e.SamplerPrefix, StringComparison.Ordinal)
            && (e.Schedule is null || e.Schedule == schedule) && (e.Metric is null || e.Metric == metric))?.Explanation;
}
