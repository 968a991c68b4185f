using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>The exact mixture score as a tensor model (kind Score), the tensor twin of <see cref="OracleModel"/>.</summary>
public sealed class OracleTensorModel : ITensorModel
{
    /// <summary>Wraps a tensor oracle (not owned: the caller disposes it).</summary>
    public OracleTensorModel(TensorMixtureOracle oracle)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        Oracle = oracle;
    }

    /// <summary>The oracle.</summary>
    public TensorMixtureOracle Oracle { get; }

    /// <inheritdoc/>
    public int Dimension => Oracle.Dimension;

    /// <inheritdoc/>
    public PredictionKind Kind => PredictionKind.Score;

    /// <inheritdoc/>
    public Schedule Schedule => Oracle.Schedule;

    /// <inheritdoc/>
    public Tensor Predict(Tensor x, double t) => Oracle.Score(x, t);
}
