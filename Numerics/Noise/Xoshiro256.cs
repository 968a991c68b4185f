namespace Verified.Numerics;

/// <summary>
/// xoshiro256** (Blackman and Vigna) seeded through SplitMix64, with Box-Muller normals. Our own generator,
/// so that the same seed gives the same numbers on every .NET version (System.Random's algorithm is not
/// part of its contract).
/// </summary>
public sealed class Xoshiro256
{
    private ulong s0, s1, s2, s3;
    private double spare;
    private bool hasSpare;

    /// <summary>Seeds the state from one 64-bit seed.</summary>
    public Xoshiro256(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
    }

    /// <summary>A seed for stream <paramref name="index"/> derived from a base seed: independent streams for
    /// parallel samples, so results do not depend on the thread count.</summary>
    public static ulong Derive(ulong seed, ulong index)
    {
        ulong x = seed ^ (0x9E3779B97F4A7C15UL * (index + 1));
        return SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform on (0, 1): 53 random bits, never exactly 0.</summary>
    public double NextUniform() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by Box-Muller (both values of a pair are used).</summary>
    public double NextGaussian()
    {
        if (hasSpare) { hasSpare = false; return spare; }
        double r = Math.Sqrt(-2.0 * Math.Log(NextUniform()));
        double angle = 2.0 * Math.PI * NextUniform();
        spare = r * Math.Sin(angle);
        hasSpare = true;
        return r * Math.Cos(angle);
    }

    /// <summary>Fills a span with standard normals.</summary>
    public void FillGaussian(Span<double> z)
    {
        for (int i = 0; i < z.Length; i++) z[i] = NextGaussian();
    }
}
