using Verified.Theory;

namespace Verified.Numerics;

/// <summary>The exact mixture oracle as a score model: grad log p_t(x) in closed form (THEORY section 2), evaluated for
/// a whole batch at once by <see cref="BatchedOracle"/> (SIMD over the points); agrees with the scalar
/// <see cref="MixtureOracle.Score"/> to round-off.</summary>
/// <remarks>The batch arrives row-major (point-major, [n][d]); the batched oracle reads structure of arrays ([d][n]),
/// so Predict transposes in and out through per-thread buffers that grow to the largest batch seen. Predict validates
/// the batch and t once, then runs the oracle's unchecked path. Determinism: each point's result depends only on the
/// point and t, never on the batch it came in or where the buffers lie (see <see cref="BatchedOracle"/>).</remarks>
public sealed class OracleModel : IDiffusionModel
{
    private readonly ThreadLocal<Buffers> buffers;

    /// <summary>Wraps an oracle.</summary>
    public OracleModel(MixtureOracle oracle)
    {
        Check.NotNull(oracle, nameof(oracle));
        Oracle = oracle;
        Batched = new BatchedOracle(oracle.Mixture, oracle.Schedule);
        buffers = new ThreadLocal<Buffers>(() => new Buffers());
    }

    /// <summary>Builds the oracle of a mixture under a schedule.</summary>
    public OracleModel(GaussianMixture mixture, Schedule schedule) : this(new MixtureOracle(mixture, schedule)) { }

    /// <summary>The wrapped scalar oracle (the reference the batched evaluation is tested against).</summary>
    public MixtureOracle Oracle { get; }

    /// <summary>The batched evaluation of the same score that <see cref="Predict"/> uses.</summary>
    public BatchedOracle Batched { get; }

    /// <inheritdoc/>
    public int Dimension => Oracle.Dimension;

    /// <inheritdoc/>
    public PredictionKind Kind => PredictionKind.Score;

    /// <inheritdoc/>
    public Schedule Schedule => Oracle.Schedule;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> x, double t, Span<double> output)
    {
        int d = Dimension;
        int n = Check.Batch(x.Length, d, nameof(x));
        if (output.Length != x.Length)
            throw new ArgumentException($"output must have the length of x ({x.Length}), got {output.Length}", nameof(output));
        Schedule.CheckTime(nameof(t), t);
        var b = buffers.Value!;
        b.Ensure(Batched, d, n);
        var columns = b.Columns;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) columns[j][i] = x[i * d + j];
        Batched.ScoreUnchecked(t, columns, b.Scores, 0, n, b.Workspace!);
        var score = b.Scores;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) output[i * d + j] = score[j][i];
    }

    /// <summary>One thread's transposition buffers and oracle workspace.</summary>
    private sealed class Buffers
    {
        public double[][] Columns = [];
        public double[][] Scores = [];
        public BatchedOracle.Workspace? Workspace;

        public void Ensure(BatchedOracle oracle, int d, int n)
        {
            if (Workspace is not null && Workspace.Capacity >= n) return;
            int capacity = Math.Max(n, 2 * (Workspace?.Capacity ?? 0));
            Columns = new double[d][];
            Scores = new double[d][];
            for (int j = 0; j < d; j++) { Columns[j] = new double[capacity]; Scores[j] = new double[capacity]; }
            Workspace = new BatchedOracle.Workspace(oracle, capacity);
        }
    }
}
