using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>The exact classifier-free guided predictor as a tensor model (kind Noise, C6.3):
/// eps_w = eps*(x, t, null) + w (eps*(x, t, c) - eps*(x, t, null)); w = 1 is the exact conditional predictor.</summary>
public sealed class GuidedOracleModel : ITensorModel
{
    private readonly TensorMixtureOracle oracle;
    private readonly long label;
    private readonly double w;

    /// <summary>Guides the oracle (not owned) towards class <paramref name="label"/> with scale <paramref name="w"/>.</summary>
    /// <param name="oracle">the tensor oracle of a labelled mixture.</param>
    /// <param name="label">a class in 0..ClassCount-1.</param>
    /// <param name="w">guidance scale, finite.</param>
    public GuidedOracleModel(TensorMixtureOracle oracle, int label, double w)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        if (label < 0 || label >= oracle.Mixture.ClassCount)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"label must be in 0..{oracle.Mixture.ClassCount - 1}");
        if (!double.IsFinite(w)) throw new ArgumentOutOfRangeException(nameof(w), w, "w must be finite");
        this.oracle = oracle;
        this.label = label;
        this.w = w;
    }

    /// <inheritdoc/>
    public int Dimension => oracle.Dimension;

    /// <inheritdoc/>
    public PredictionKind Kind => PredictionKind.Noise;

    /// <inheritdoc/>
    public Schedule Schedule => oracle.Schedule;

    /// <inheritdoc/>
    public Tensor Predict(Tensor x, double t)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var classes = Scalars.Full(x.shape[0], label, ScalarType.Int64, x.device);
        return oracle.GuidedNoise(x, t, classes, w);
    }
}
