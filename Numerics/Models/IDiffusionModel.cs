using Verified.Theory;

namespace Verified.Numerics;

/// <summary>What a model's output means at (x, t), with x = alpha(t) x0 + sigma(t) eps.</summary>
public enum PredictionKind
{
    /// <summary>eps-prediction: E[eps | x_t = x].</summary>
    Noise,
    /// <summary>x0-prediction: E[x0 | x_t = x].</summary>
    Data,
    /// <summary>score: grad log p_t(x).</summary>
    Score,
    /// <summary>probability-flow velocity v_t(x) = f x - (1/2) g2 score (forward time).</summary>
    Velocity,
}

/// <summary>
/// A denoising model over (x, t) in forward time under a schedule: the exact oracle, a guided wrapper,
/// or a trained network. Samplers read it through <see cref="ModelView"/> in whichever
/// parameterisation their formula uses.
/// </summary>
public interface IDiffusionModel
{
    /// <summary>d, the state dimension.</summary>
    int Dimension { get; }

    /// <summary>The parameterisation of <see cref="Predict"/>'s output.</summary>
    PredictionKind Kind { get; }

    /// <summary>The schedule the model's time argument refers to.</summary>
    Schedule Schedule { get; }

    /// <summary>Writes the model's prediction at (x, t) for a batch: x holds n &gt;= 1 points of dimension d row-major
    /// (x.Length = n d, point i at [i d, (i + 1) d)); output has the same length and layout. Must be thread-safe.</summary>
    void Predict(ReadOnlySpan<double> x, double t, Span<double> output);
}
