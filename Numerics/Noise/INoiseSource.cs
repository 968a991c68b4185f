namespace Verified.Numerics;

/// <summary>
/// Where samplers get their Gaussian noise. No sampler owns a random generator: every draw goes through
/// a source, so runs are reproducible, replayable (common random numbers, linear probing) and can share
/// one Brownian path across step sizes.
/// </summary>
public interface INoiseSource
{
    /// <summary>
    /// Fills z with the standard normal vector injected on the step from time <paramref name="from"/> down to
    /// <paramref name="to"/> (forward-time labels, from &gt; to). A sampler needing extra draws within one step
    /// (e.g. corrector iterations) passes from == to, meaning "an auxiliary draw".
    /// </summary>
    void Fill(double from, double to, Span<double> z);
}
