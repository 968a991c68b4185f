using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// A model known to be affine in x, replaced by its snapshot f_t(x) = b_t + J_t x, probed once per time
/// (d + 1 evaluations of the wrapped model) and then evaluated as a d x d product. With <see cref="LinearOnly"/>
/// the offset is dropped, so a sampler run sees only the linear part. Used by <see cref="OutputLaw"/>, whose
/// many probe runs repeat the same evaluation times.
/// </summary>
/// <remarks>Times are recorded while <see cref="Frozen"/> is false (one sequential recording run); afterwards the
/// snapshot is read-only and thread-safe, and a time that was not recorded means the sampler's evaluation times depend
/// on its inputs, i.e. it is not a fixed affine map (adaptive step-size control, e.g. RK45).</remarks>
internal sealed class AffineSnapshotModel(IDiffusionModel inner, string samplerName) : IDiffusionModel
{
    private readonly Dictionary<double, (double[] Offset, double[] Jacobian)> snapshots = new();
    private readonly int d = inner.Dimension;

    public int Dimension => d;
    public PredictionKind Kind => inner.Kind;
    public Schedule Schedule => inner.Schedule;

    /// <summary>When set, unknown times throw instead of being probed.</summary>
    public bool Frozen { get; set; }

    /// <summary>When set, predictions omit the offset b_t.</summary>
    public bool LinearOnly { get; set; }

    /// <summary>The snapshot applied to each point of the batch: one sampler run on a batch advances many probes at once.</summary>
    public void Predict(ReadOnlySpan<double> x, double t, Span<double> output)
    {
        var entry = Lookup(t);
        for (int b = 0; b < x.Length / d; b++) Apply(entry, x.Slice(b * d, d), output.Slice(b * d, d));
    }

    private (double[] Offset, double[] Jacobian) Lookup(double t)
    {
        if (snapshots.TryGetValue(t, out var snapshot)) return snapshot;
        if (Frozen)
            throw new ArgumentException(
                $"{samplerName} evaluated the model at t = {t}, a time its first run did not use: its evaluation times depend on " +
                "its inputs (adaptive step-size control, e.g. RK45), so it is not a fixed affine map and has no exact Gaussian output law",
                "sampler");
        snapshot = Probe(t);
        snapshots[t] = snapshot;
        return snapshot;
    }

    private void Apply((double[] Offset, double[] Jacobian) snapshot, ReadOnlySpan<double> x, Span<double> output)
    {
        var (offset, jacobian) = snapshot;
        for (int r = 0; r < d; r++)
        {
            double acc = LinearOnly ? 0.0 : offset[r];
            for (int c = 0; c < d; c++) acc += jacobian[r * d + c] * x[c];
            output[r] = acc;
        }
    }

    private (double[] Offset, double[] Jacobian) Probe(double t)
    {
        var offset = new double[d];
        inner.Predict(new double[d], t, offset);
        var jacobian = new double[d * d];
        var unit = new double[d];
        var column = new double[d];
        for (int c = 0; c < d; c++)
        {
            unit[c] = 1;
            inner.Predict(unit, t, column);
            unit[c] = 0;
            for (int r = 0; r < d; r++) jacobian[r * d + c] = column[r] - offset[r];
        }
        return (offset, jacobian);
    }
}

/// <summary>Zero noise except, in each block of d coordinates, one unit coordinate in one draw (draw -1: none); checks
/// the sampler asks for the same number and length of draws as in its recording run.</summary>
internal sealed class UnitNoise(int draws, int dimension, int[] drawOfBlock, int[] coordinateOfBlock, string samplerName) : INoiseSource
{
    public int Consumed { get; private set; }

    public void Fill(double from, double to, Span<double> z)
    {
        if (Consumed >= draws || z.Length != dimension * drawOfBlock.Length)
            throw new ArgumentException($"{samplerName} drew noise differently from its first run (draw {Consumed} of length {z.Length}; " +
                                        $"expected {draws} draws of length {dimension} per probe), so it is not a fixed affine map", "sampler");
        z.Clear();
        for (int b = 0; b < drawOfBlock.Length; b++)
            if (drawOfBlock[b] == Consumed) z[b * dimension + coordinateOfBlock[b]] = 1;
        Consumed++;
    }
}
