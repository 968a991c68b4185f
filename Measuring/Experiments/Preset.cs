namespace Verified.Reports.Experiments;

/// <summary>How much to run. Presets trade coverage for time; every number a preset uses is written to the
/// report's settings.</summary>
/// <param name="Name">quick, default, full or gate.</param>
/// <param name="ExactLadder">N for tier 0 (exact output laws).</param>
/// <param name="MixtureLadder">N for tier 1 (mixtures).</param>
/// <param name="ReferenceFactor">Fine Brownian path = this times the largest N of the mixture ladder.</param>
/// <param name="StrongStarts">Start points (paths) per strong error.</param>
/// <param name="MonteCarloSamples">Pilot samples per coupled Monte Carlo ladder (and the minimum M); the gate's
/// paired comparison reads these.</param>
/// <param name="Problems">Problems run unless --problems says otherwise.</param>
/// <param name="DdpmStudy">Whether to run the DDPM variance study.</param>
/// <param name="MaxMonteCarloSamples">Cap on M per coupled ladder; M is chosen from the pilot's variance.</param>
/// <param name="TargetRelativeHalfWidth">Wanted 95% half-width of every Monte Carlo ladder point, as a fraction of its
/// error.</param>
public sealed record Preset(
    string Name,
    int[] ExactLadder,
    int[] MixtureLadder,
    int ReferenceFactor,
    int StrongStarts,
    int MonteCarloSamples,
    string[] Problems,
    bool DdpmStudy,
    int MaxMonteCarloSamples,
    double TargetRelativeHalfWidth = 0.1)
{
    /// <summary>Base seed of every run.</summary>
    public const ulong Seed = 12345;

    private static int[] Powers(int from, int to) => Enumerable.Range(from, to - from + 1).Select(k => 1 << k).ToArray();

    /// <summary>The default report (&lt;= 3 minutes on 2 cores): tier 0 on both Gaussians, tier 1 on the ring.</summary>
    public static Preset Default { get; } = new("default", Powers(2, 9), Powers(2, 6), 16, 32, 1000,
        ["gauss-1d", "gauss-8d", "ring-2d"], true, 32000);

    /// <summary>A smoke run (seconds).</summary>
    public static Preset Quick { get; } = new("quick", Powers(2, 6), Powers(2, 5), 8, 16, 200,
        ["gauss-1d", "ring-2d"], false, 4000);

    /// <summary>Everything: longer ladders, more samples, the 16-D mixture.</summary>
    public static Preset Full { get; } = new("full", Powers(2, 11), Powers(2, 7), 16, 64, 4000,
        ["gauss-1d", "gauss-8d", "ring-2d", "mix-16d"], true, 64000);

    /// <summary>What the gate and the baseline measure (&lt;= 2 minutes).</summary>
    public static Preset Gate { get; } = new("gate", Powers(2, 7), Powers(2, 5), 16, 16, 200,
        ["gauss-1d", "gauss-8d", "ring-2d"], false, 8000);
}
