using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Any tensor model (a trained network, the tensor oracle) as a Numerics <see cref="IDiffusionModel"/>, so the
/// reference samplers run on it: each Predict evaluates the Numerics batch (n points, row-major) as one [n, d] float64
/// tensor on the CPU.</summary>
/// <remarks>Thread-safe by a lock (TorchSharp modules are not meant for concurrent forward passes).</remarks>
public sealed class TensorDiffusionModel : IDiffusionModel
{
    private readonly ITensorModel model;
    private readonly object gate = new();

    /// <summary>Wraps <paramref name="model"/> (not owned).</summary>
    public TensorDiffusionModel(ITensorModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
    }

    /// <inheritdoc/>
    public int Dimension => model.Dimension;

    /// <inheritdoc/>
    public PredictionKind Kind => model.Kind;

    /// <inheritdoc/>
    public Schedule Schedule => model.Schedule;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> x, double t, Span<double> output)
    {
        int d = Dimension;
        if (x.Length == 0 || x.Length % d != 0)
            throw new ArgumentException($"x must be a batch of n >= 1 points of dimension {d} (length a positive multiple of {d}), got length {x.Length}", nameof(x));
        if (output.Length != x.Length) throw new ArgumentException($"output must have the length of x ({x.Length}), got {output.Length}", nameof(output));
        var rows = x.ToArray();
        lock (gate)
        {
            using var scope = NewDisposeScope();
            var input = tensor(rows, [rows.Length / d, d], ScalarType.Float64);
            model.Predict(input, t).to(ScalarType.Float64, CPU).data<double>().CopyTo(output);
        }
    }
}
