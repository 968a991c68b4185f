namespace Verified.Numerics;

/// <summary>
/// One reverse-time Brownian path sampled on a fine time grid, served at any coarser grid made of its
/// nodes: the increment over a coarse step is the exact sum of the fine increments inside it
/// (CB.1: increments over [t_{i-1}, t_i] are N(0, h I), independent). Used for strong-error studies,
/// where every step count must see the same path.
/// </summary>
/// <remarks>For a batch of n points of dimension d, build the path with dimension n d: its coordinates are n d
/// independent scalar Brownian motions, i.e. n independent d-dimensional paths, point i driven by coordinates
/// [i d, (i + 1) d). One generator fills the increments fine step by fine step, so the paths of a batch depend on n.</remarks>
public sealed class BrownianPath
{
    private readonly double[] times;   // fine nodes, strictly decreasing
    private readonly double[][] increments; // increments[k]: W over [times[k+1], times[k]], variance h_k
    private readonly ulong seed;

    /// <summary>Draws the path on <paramref name="fine"/> in dimension <paramref name="dimension"/>.</summary>
    public BrownianPath(TimeGrid fine, int dimension, ulong seed)
    {
        Check.NotNull(fine, nameof(fine));
        Check.AtLeast(dimension, 1, nameof(dimension));
        times = fine.ToArray();
        var rng = new Xoshiro256(seed);
        increments = new double[fine.Steps][];
        for (int k = 0; k < fine.Steps; k++)
        {
            double sd = Math.Sqrt(times[k] - times[k + 1]);
            var inc = new double[dimension];
            for (int j = 0; j < dimension; j++) inc[j] = sd * rng.NextGaussian();
            increments[k] = inc;
        }
        this.seed = seed;
        Dimension = dimension;
        Fine = fine;
    }

    /// <summary>The fine grid of the path.</summary>
    public TimeGrid Fine { get; }

    /// <summary>The state dimension.</summary>
    public int Dimension { get; }

    /// <summary>The coarse grid taking every (fine steps / steps)-th node; steps must divide the fine step count.</summary>
    public TimeGrid Coarsen(int steps)
    {
        Check.AtLeast(steps, 1, nameof(steps));
        int fineSteps = Fine.Steps;
        if (fineSteps % steps != 0)
            throw new ArgumentException($"steps must divide the fine step count {fineSteps}, got {steps}", nameof(steps));
        int stride = fineSteps / steps;
        return new TimeGrid(Enumerable.Range(0, steps + 1).Select(i => times[i * stride]).ToArray());
    }

    /// <summary>W over [to, from] as the sum of the fine increments between the two nodes.</summary>
    public double[] Increment(double from, double to)
    {
        int a = NodeOf(from, nameof(from)), b = NodeOf(to, nameof(to));
        if (b <= a) throw new ArgumentException($"to ({to}) must be a later node (smaller time) than from ({from})", nameof(to));
        var sum = new double[Dimension];
        for (int k = a; k < b; k++)
            for (int j = 0; j < Dimension; j++) sum[j] += increments[k][j];
        return sum;
    }

    /// <summary>A noise source for samplers: z = (W over the step) / sqrt(from - to). Auxiliary draws
    /// (from == to) come from a separate seeded stream.</summary>
    public INoiseSource AsNoise() => new PathNoise(this);

    private int NodeOf(double t, string name)
    {
        int lo = 0, hi = times.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (times[mid] == t) return mid;
            if (times[mid] > t) lo = mid + 1; else hi = mid - 1;
        }
        throw new ArgumentException($"{name} = {t} is not a node of the Brownian path's fine grid; build the coarse grid with Coarsen", name);
    }

    private sealed class PathNoise(BrownianPath path) : INoiseSource
    {
        private readonly Xoshiro256 auxiliary = new(Xoshiro256.Derive(path.seed, 1));

        public void Fill(double from, double to, Span<double> z)
        {
            if (z.Length != path.Dimension)
                throw new ArgumentException($"z must have the path's dimension {path.Dimension} (n d for a batch of n points), got {z.Length}", nameof(z));
            if (from == to) { auxiliary.FillGaussian(z); return; }
            var w = path.Increment(from, to);
            double scale = 1.0 / Math.Sqrt(from - to);
            for (int j = 0; j < z.Length; j++) z[j] = w[j] * scale;
        }
    }
}
