using System.Numerics.Tensors;
using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// Many-sample DDIM(eta) with the exact oracle (S7.9), for Monte Carlo studies and the throughput benchmark.
/// Samples are processed in fixed blocks; block b draws its start (exactly from p at grid.Start) and its noise
/// from its own stream Xoshiro256.Derive(seed, b), so the output is bit-identical for any thread count.
/// </summary>
public static class BatchedSampling
{
    /// <summary>Default block size: large enough for SIMD loops to dominate, small enough to stay in cache.</summary>
    public const int DefaultBlockSize = 2048;

    /// <summary>Runs DDIM(eta) on <paramref name="samples"/> points; returns the final states by coordinate: result[j][i].</summary>
    /// <param name="oracle">the exact model.</param>
    /// <param name="grid">forward times, decreasing; the start is drawn exactly from p at grid.Start.</param>
    /// <param name="samples">number of samples, at least 1.</param>
    /// <param name="seed">fixes the whole run.</param>
    /// <param name="eta">in [0, 1].</param>
    /// <param name="blockSize">samples per block; part of the random stream layout, so it changes the result.</param>
    /// <param name="maxDegreeOfParallelism">threads to use; -1 for all cores. Does not change the result.</param>
    public static double[][] Ddim(BatchedOracle oracle, TimeGrid grid, int samples, ulong seed, double eta = 0.0,
                                  int blockSize = DefaultBlockSize, int maxDegreeOfParallelism = -1)
    {
        Check.AtLeast(samples, 1, nameof(samples));
        return Run(oracle, grid, samples, null, seed, eta, blockSize, maxDegreeOfParallelism);
    }

    /// <summary>
    /// Runs DDIM(eta) from given starts (by coordinate: starts[j][i], not modified); returns the final states the same
    /// way. Block b draws its noise from Xoshiro256.Derive(seed, b) (no start draws precede it), so the output is
    /// bit-identical for any thread count. Lets a benchmark time the steps alone, as the PyTorch peer does.
    /// </summary>
    /// <param name="oracle">the exact model.</param>
    /// <param name="grid">forward times, decreasing.</param>
    /// <param name="starts">d columns of equal length n &gt;= 1.</param>
    /// <param name="seed">fixes the noise (unused when eta = 0).</param>
    /// <param name="eta">in [0, 1].</param>
    /// <param name="blockSize">samples per block; part of the random stream layout.</param>
    /// <param name="maxDegreeOfParallelism">threads to use; -1 for all cores. Does not change the result.</param>
    public static double[][] Ddim(BatchedOracle oracle, TimeGrid grid, double[][] starts, ulong seed, double eta = 0.0,
                                  int blockSize = DefaultBlockSize, int maxDegreeOfParallelism = -1)
    {
        Check.NotNull(oracle, nameof(oracle));
        Check.NotNull(starts, nameof(starts));
        if (starts.Length != oracle.Dimension)
            throw new ArgumentException($"starts must have one column per coordinate (d = {oracle.Dimension}), got {starts.Length}", nameof(starts));
        int n = starts.Length > 0 && starts[0] is { } first ? first.Length : 0;
        Check.AtLeast(n, 1, "starts[0].Length");
        for (int j = 0; j < starts.Length; j++)
            if (starts[j] is null || starts[j].Length != n)
                throw new ArgumentException($"starts[{j}] must have length {n} like starts[0], got {starts[j]?.Length.ToString() ?? "null"}", nameof(starts));
        return Run(oracle, grid, n, starts, seed, eta, blockSize, maxDegreeOfParallelism);
    }

    private static double[][] Run(BatchedOracle oracle, TimeGrid grid, int samples, double[][]? starts, ulong seed, double eta,
                                  int blockSize, int maxDegreeOfParallelism)
    {
        Check.NotNull(oracle, nameof(oracle));
        Check.NotNull(grid, nameof(grid));
        Check.AtLeast(blockSize, 1, nameof(blockSize));
        Check.InRange(eta, 0.0, 1.0, nameof(eta));
        grid.CheckInside(oracle.Schedule, nameof(grid));
        int d = oracle.Dimension;
        var x = new double[d][];
        for (int j = 0; j < d; j++) x[j] = starts is null ? new double[samples] : (double[])starts[j].Clone();
        int blocks = (samples + blockSize - 1) / blockSize;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, blocks, options,
            () => (Work: new BatchedOracle.Workspace(oracle, blockSize), Score: Columns(d, samples)),
            (b, _, local) =>
            {
                int offset = b * blockSize, count = Math.Min(blockSize, samples - offset);
                RunBlock(oracle, grid, eta, new Xoshiro256(Xoshiro256.Derive(seed, (ulong)b)), starts is null, x, local.Score, offset, count, local.Work);
                return local;
            },
            _ => { });
        return x;
    }

    private static void RunBlock(BatchedOracle oracle, TimeGrid grid, double eta, Xoshiro256 rng, bool drawStarts, double[][] x, double[][] score,
                                 int offset, int count, BatchedOracle.Workspace work)
    {
        var schedule = oracle.Schedule;
        int d = oracle.Dimension;
        for (int i = 0; i < count && drawStarts; i++)
        {
            var start = MarginalDraws.Draw(oracle.Mixture, schedule, grid.Start, rng);
            for (int j = 0; j < d; j++) x[j][offset + i] = start[j];
        }
        var z = new double[count];
        for (int step = 0; step < grid.Steps; step++)
        {
            double t = grid[step], s = grid[step + 1];
            double alphaT = schedule.Alpha(t), sigmaT = schedule.Sigma(t), alphaS = schedule.Alpha(s);
            var (sigmaEta, noiseCoefficient) = StepCoefficients.Ddim(schedule, t, s, eta);
            // eps = -sigma_t score;  x_s = (alpha_s/alpha_t) x + (noiseCoefficient - alpha_s sigma_t/alpha_t) eps + sigma_eta z
            double scoreCoefficient = -sigmaT * (noiseCoefficient - alphaS * sigmaT / alphaT);
            oracle.AffineScoreStep(t, alphaS / alphaT, scoreCoefficient, x, score, offset, count, work);
            if (sigmaEta > 0)
                for (int j = 0; j < d; j++)
                {
                    rng.FillGaussian(z);
                    TensorPrimitives.MultiplyAdd(z, sigmaEta, x[j].AsSpan(offset, count), x[j].AsSpan(offset, count));
                }
        }
    }

    private static double[][] Columns(int d, int n)
    {
        var c = new double[d][];
        for (int j = 0; j < d; j++) c[j] = new double[n];
        return c;
    }
}
