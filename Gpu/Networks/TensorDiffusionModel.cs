using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Any tensor model (a trained network, the tensor oracle) as a Numerics <see cref="IDiffusionModel"/>, so the
/// reference samplers run on it: each Predict evaluates a batch of one row in float64 on the CPU.</summary>
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
        if (x.Length != Dimension) throw new ArgumentException($"x must have length {Dimension}, got {x.Length}", nameof(x));
        var row = x.ToArray();
        lock (gate)
        {
            using var scope = NewDisposeScope();
            var input = tensor(row, [1, row.Length], ScalarType.Float64);
            model.Predict(input, t).to(ScalarType.Float64, CPU).data<double>().CopyTo(output);
        }
    }
}
