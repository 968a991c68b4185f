using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// The exact law of a sampler's output on Gaussian data (THEORY "Exact output laws for Gaussian data"): the exact
/// model is affine in x, so any fixed-step sampler maps (x_N, z_1, ..., z_K) affinely to
/// y = A x_N + sum_k B_k z_k + c, and with x_N ~ N(m0, P0) and independent standard normal z_k,
/// y ~ N(A m0 + c, A P0 A^T + sum_k B_k B_k^T). No Monte Carlo and no per-sampler code: A, B_k and c are read by
/// probing the sampler itself with unit inputs.
/// </summary>
/// <remarks>
/// Cost: 1 + d + K d probes for K noise draws (K = steps for one draw per step), plus d + 1 model evaluations per
/// distinct evaluation time. The runs use a snapshot b_t + J_t x of the model (see <see cref="AffineSnapshotModel"/>);
/// the probes read only its linear part J_t x, from zero start and zero noise except one unit coordinate, so the columns
/// of A and B_k come out directly, not as differences with c. About 512 / d probes share one sampler run as one
/// batch of points (the batched sampler contract), so the work is
/// O(N (1 + K) d^3) multiply-adds for N steps, run in parallel; the sums are taken in a fixed order, so results do not
/// depend on the thread count. Measured on 2 heavily shared cores, d = 8: N = 256 takes 10-20 ms for an ODE sampler
/// and 50-85 ms with one draw per step (reverse-SDE EM, DDPM); N = 512 with one draw per step 170-190 ms; d = 1 stays
/// below 30 ms.
/// Affinity is verified at the end: one run of the sampler on the ORIGINAL model from a random start with random
/// noise must match the affine prediction to 1e-8 relative (should the batched runs not match, the probes are
/// redone one per run before giving up). A sampler whose evaluation times or number of draws depend on its inputs
/// (adaptive RK45), or that is otherwise not affine (norm-ratio Langevin steps, mixture data), is rejected with an
/// ArgumentException naming the reason.
/// </remarks>
public static class OutputLaw
{
    // Relative agreement required between a direct run and the affine prediction (round-off is ~1e-14).
    private const double AffinityTolerance = 1e-8;
    private const ulong CheckSeed = 0x5EED_0FF1_CE;
    // Probes per sampler run: about this many coordinates in one batched run amortise the per-step overhead.
    private const int BlockCoordinates = 512;

    /// <summary>The exact output law of <paramref name="sampler"/> on <paramref name="model"/> over <paramref name="grid"/>,
    /// started from x_N ~ <paramref name="startLaw"/>.</summary>
    /// <param name="sampler">any fixed-step sampler (one whose evaluation times and number of draws do not depend on its inputs).</param>
    /// <param name="model">a model affine in x, e.g. the <see cref="OracleModel"/> of a single Gaussian.</param>
    /// <param name="grid">the sampler's time grid.</param>
    /// <param name="startLaw">the law of x_N at grid.Start (dimension d).</param>
    /// <exception cref="ArgumentException">dimension mismatch, or the sampler is not affine on this model.</exception>
    public static GaussianLaw Compute(Sampler sampler, IDiffusionModel model, TimeGrid grid, GaussianLaw startLaw)
    {
        Check.NotNull(sampler, nameof(sampler));
        Check.NotNull(model, nameof(model));
        Check.NotNull(grid, nameof(grid));
        Check.NotNull(startLaw, nameof(startLaw));
        Check.Dimension(startLaw.Dimension, model.Dimension, nameof(startLaw));
        int d = model.Dimension;
        string name = sampler.Info.Name;
        var snapshot = new AffineSnapshotModel(model, name);

        // Recording run: c = output from zero start with zero noise; records the evaluation times and counts the draws.
        var counter = new RecordingNoise(ZeroNoise.Instance);
        var recorded = sampler.Sample(snapshot, new double[d], grid, counter);
        var constant = recorded.State;
        int draws = counter.Draws.Count;
        if (counter.Draws.Any(z => z.Length != d))
            throw new ArgumentException($"{name} draws noise of a length other than d = {d}; the engine probes d-dimensional draws", nameof(sampler));
        snapshot.Frozen = true;
        snapshot.LinearOnly = true;

        // Probe p < d: column p of A; probe d + k d + j: column j of B_k. Probes run in blocks (one sampler run advances
        // many); should the sampler not act coordinate-wise, the direct check fails and the probes are redone one by one.
        int blocks = Math.Max(1, BlockCoordinates / d);
        var columns = ProbeColumns(sampler, snapshot, grid, d, draws, recorded.Evaluations, blocks);
        if (!MatchesDirectRun(sampler, model, grid, columns, constant, draws, out string mismatch))
        {
            if (blocks > 1) columns = ProbeColumns(sampler, snapshot, grid, d, draws, recorded.Evaluations, 1);
            if (blocks == 1 || !MatchesDirectRun(sampler, model, grid, columns, constant, draws, out mismatch))
                throw new ArgumentException($"{name} is not affine on this model: {mismatch}; either the model is not affine in x " +
                                            "(use the oracle of a single Gaussian) or the sampler's steps depend on the state (adaptive step sizes as " +
                                            "in RK45, norm-ratio Langevin step sizes)", nameof(model));
        }

        var mean = new double[d];
        var covariance = new double[d, d];
        var startCovariance = startLaw.Covariance;
        for (int r = 0; r < d; r++)
        {
            mean[r] = constant[r];
            for (int c = 0; c < d; c++) mean[r] += columns[c][r] * startLaw.Mean[c];
        }
        // A P0 A^T
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                double acc = 0;
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) acc += columns[i][a] * startCovariance[i, j] * columns[j][b];
                covariance[a, b] = acc;
            }
        // + sum_k B_k B_k^T
        for (int p = d; p < columns.Length; p++)
        {
            var column = columns[p];
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) covariance[a, b] += column[a] * column[b];
        }
        return new GaussianLaw(mean, covariance);
    }

    /// <summary>The exact output law started from the exact marginal p_{grid.Start} (so that prior mismatch does not mix
    /// into discretisation error).</summary>
    /// <param name="sampler">any fixed-step sampler.</param>
    /// <param name="gaussianModel">the oracle of a single Gaussian.</param>
    /// <param name="grid">the sampler's time grid.</param>
    public static GaussianLaw Compute(Sampler sampler, OracleModel gaussianModel, TimeGrid grid)
    {
        Check.NotNull(grid, nameof(grid));
        return Compute(sampler, gaussianModel, grid, Target(gaussianModel, grid.Start));
    }

    /// <summary>The exact p_t = N(alpha mu, alpha^2 S + sigma^2 I) for single-Gaussian data N(mu, S).</summary>
    /// <exception cref="ArgumentException">the oracle's data has more than one component.</exception>
    public static GaussianLaw Target(OracleModel gaussianModel, double t)
    {
        Check.NotNull(gaussianModel, nameof(gaussianModel));
        var mixture = gaussianModel.Oracle.Mixture;
        if (mixture.Count != 1)
            throw new ArgumentException($"gaussianModel must be the oracle of a single Gaussian, got a mixture of {mixture.Count} components " +
                                        "(its exact score is not affine, so no sampler has a Gaussian output law)", nameof(gaussianModel));
        gaussianModel.Schedule.CheckTime(nameof(t), t);
        var data = new GaussianFlow(mixture, gaussianModel.Schedule);
        return new GaussianLaw(data.MarginalMean(t), data.MarginalCovariance(t));
    }

    /// <summary>All probe columns, <paramref name="blocks"/> probes per sampler run as one batch,
    /// blocks in parallel.</summary>
    private static double[][] ProbeColumns(Sampler sampler, AffineSnapshotModel snapshot, TimeGrid grid, int d, int draws, int evaluations, int blocks)
    {
        int total = d + draws * d;
        var columns = new double[total][];
        int runs = (total + blocks - 1) / blocks;
        try
        {
            Parallel.For(0, runs, run =>
            {
                int first = run * blocks, count = Math.Min(blocks, total - first);
                var start = new double[count * d];
                var drawOfBlock = new int[count];
                var coordinateOfBlock = new int[count];
                for (int b = 0; b < count; b++)
                {
                    int p = first + b;
                    if (p < d) { start[b * d + p] = 1; drawOfBlock[b] = -1; }
                    else { drawOfBlock[b] = (p - d) / d; coordinateOfBlock[b] = (p - d) % d; }
                }
                var noise = new UnitNoise(draws, d, drawOfBlock, coordinateOfBlock, sampler.Info.Name);
                var result = sampler.Sample(snapshot, start, grid, noise);
                if (noise.Consumed != draws || result.Evaluations != evaluations)
                    throw new ArgumentException($"{sampler.Info.Name} used a different number of draws or model evaluations when probed, so it is not a fixed affine map", nameof(sampler));
                for (int b = 0; b < count; b++) columns[first + b] = result.State.AsSpan(b * d, d).ToArray();
            });
        }
        catch (AggregateException aggregate)
        {
            var inner = aggregate.Flatten().InnerExceptions[0];
            if (inner is ArgumentException) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw new ArgumentException($"{sampler.Info.Name} failed when probed with unit inputs, so it is not a fixed affine map on this model: {inner.Message}", nameof(sampler), inner);
        }
        return columns;
    }

    /// <summary>One direct run on the original model from a random start with random noise against the affine prediction.</summary>
    private static bool MatchesDirectRun(Sampler sampler, IDiffusionModel model, TimeGrid grid, double[][] columns, double[] constant, int draws, out string mismatch)
    {
        int d = model.Dimension;
        var rng = new Xoshiro256(CheckSeed);
        var start = new double[d];
        rng.FillGaussian(start);
        var noise = Enumerable.Range(0, draws).Select(_ => { var z = new double[d]; rng.FillGaussian(z); return z; }).ToArray();
        var direct = sampler.Sample(model, start, grid, new ReplayNoise(noise)).State;
        var predicted = (double[])constant.Clone();
        double scale = 1 + constant.Max(Math.Abs);
        for (int p = 0; p < columns.Length; p++)
        {
            double weight = p < d ? start[p] : noise[(p - d) / d][(p - d) % d];
            for (int r = 0; r < d; r++)
            {
                predicted[r] += weight * columns[p][r];
                scale += Math.Abs(weight * columns[p][r]);
            }
        }
        for (int r = 0; r < d; r++)
            if (!(Math.Abs(direct[r] - predicted[r]) <= AffinityTolerance * scale))
            {
                mismatch = $"a direct run gives y[{r}] = {direct[r]}, the affine prediction {predicted[r]}";
                return false;
            }
        mismatch = "";
        return true;
    }
}
