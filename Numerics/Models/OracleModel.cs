using Verified.Theory;

namespace Verified.Numerics;

/// <summary>The exact mixture oracle as a score model: grad log p_t(x) in closed form (THEORY section 2).</summary>
public sealed class OracleModel : IDiffusionModel
{
    /// <summary>Wraps an oracle.</summary>
    public OracleModel(MixtureOracle oracle)
    {
        Check.NotNull(oracle, nameof(oracle));
        Oracle = oracle;
    }

    /// <summary>Builds the oracle of a mixture under a schedule.</summary>
    public OracleModel(GaussianMixture mixture, Schedule schedule) : this(new MixtureOracle(mixture, schedule)) { }

    /// <summary>The wrapped oracle.</summary>
    public MixtureOracle Oracle { get; }

    /// <inheritdoc/>
    public int Dimension => Oracle.Dimension;

    /// <inheritdoc/>
    public PredictionKind Kind => PredictionKind.Score;

    /// <inheritdoc/>
    public Schedule Schedule => Oracle.Schedule;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> x, double t, Span<double> output) =>
        Oracle.Score(x.ToArray(), t).AsSpan().CopyTo(output);
}
