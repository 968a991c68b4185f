namespace Verified.Numerics;

/// <summary>Independent standard normals from a seeded generator; the step times are ignored.</summary>
public sealed class SeededNoise : INoiseSource
{
    private readonly Xoshiro256 rng;

    /// <summary>A source whose whole sequence is fixed by the seed.</summary>
    public SeededNoise(ulong seed) => rng = new Xoshiro256(seed);

    /// <inheritdoc/>
    public void Fill(double from, double to, Span<double> z) => rng.FillGaussian(z);
}

/// <summary>No noise: every draw is zero (turns a stochastic sampler into its mean map).</summary>
public sealed class ZeroNoise : INoiseSource
{
    /// <summary>The shared instance (stateless).</summary>
    public static readonly ZeroNoise Instance = new();

    /// <inheritdoc/>
    public void Fill(double from, double to, Span<double> z) => z.Clear();
}

/// <summary>Replays a fixed sequence of draws, in order; fails loudly when the sequence runs out or a
/// draw has the wrong dimension.</summary>
public sealed class ReplayNoise : INoiseSource
{
    private readonly IReadOnlyList<double[]> draws;
    private int next;

    /// <summary>Replays <paramref name="draws"/>, one per Fill call.</summary>
    public ReplayNoise(IReadOnlyList<double[]> draws)
    {
        Check.NotNull(draws, nameof(draws));
        this.draws = draws;
    }

    /// <summary>How many draws have been consumed.</summary>
    public int Consumed => next;

    /// <inheritdoc/>
    public void Fill(double from, double to, Span<double> z)
    {
        if (next >= draws.Count)
            throw new InvalidOperationException($"ReplayNoise ran out after {draws.Count} draws; the sampler asked for more");
        var d = draws[next++];
        if (d.Length != z.Length)
            throw new InvalidOperationException($"replayed draw {next - 1} has length {d.Length}, the sampler asked for {z.Length}");
        d.CopyTo(z);
    }
}

/// <summary>Records every draw of an inner source (to count a sampler's draws, or to replay them).</summary>
public sealed class RecordingNoise : INoiseSource
{
    private readonly INoiseSource inner;
    private readonly List<double[]> draws = new();

    /// <summary>Records what <paramref name="inner"/> produces.</summary>
    public RecordingNoise(INoiseSource inner)
    {
        Check.NotNull(inner, nameof(inner));
        this.inner = inner;
    }

    /// <summary>The draws so far, in order.</summary>
    public IReadOnlyList<double[]> Draws => draws;

    /// <inheritdoc/>
    public void Fill(double from, double to, Span<double> z)
    {
        inner.Fill(from, to, z);
        draws.Add(z.ToArray());
    }
}
