using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// Classifier-free guidance (C6.3, [58]-[60]) over any two models: eps_w = eps_null + w (eps_c - eps_null).
/// Convention: w = 1 is the conditional predictor and w = 0 the unconditional one; the other common form
/// (1 + w') eps_c - w' eps_null is this one with w = 1 + w'.
/// </summary>
public sealed class ClassifierFreeGuidedModel : IDiffusionModel
{
    private readonly IDiffusionModel unconditional, conditional;

    /// <summary>Guidance between an unconditional (null-condition) and a conditional model on the same schedule.</summary>
    /// <param name="unconditional">eps(x, t, null), any parameterisation.</param>
    /// <param name="conditional">eps(x, t, c), any parameterisation; same dimension and schedule.</param>
    /// <param name="scale">w, finite.</param>
    public ClassifierFreeGuidedModel(IDiffusionModel unconditional, IDiffusionModel conditional, double scale)
    {
        Check.NotNull(unconditional, nameof(unconditional));
        Check.NotNull(conditional, nameof(conditional));
        Check.Dimension(conditional.Dimension, unconditional.Dimension, nameof(conditional));
        if (!ReferenceEquals(conditional.Schedule, unconditional.Schedule) && conditional.Schedule.Name != unconditional.Schedule.Name)
            throw new ArgumentException($"conditional must use the unconditional model's schedule {unconditional.Schedule.Name}, got {conditional.Schedule.Name}", nameof(conditional));
        Check.Finite(scale, nameof(scale));
        this.unconditional = unconditional;
        this.conditional = conditional;
        Scale = scale;
    }

    /// <summary>CFG with the exact optima: eps_null = E[eps | x] (the unconditional oracle) and eps_c = E[eps | x, c].</summary>
    /// <param name="classes">the labelled mixture's class-conditional view.</param>
    /// <param name="label">a class label in 0..ClassCount-1.</param>
    /// <param name="scale">w, finite.</param>
    public static ClassifierFreeGuidedModel FromOracle(ClassConditional classes, int label, double scale)
    {
        Check.NotNull(classes, nameof(classes));
        return new(new OracleModel(classes.Oracle), new ConditionalOracleModel(classes, label), scale);
    }

    /// <summary>w.</summary>
    public double Scale { get; }

    /// <inheritdoc/>
    public int Dimension => unconditional.Dimension;

    /// <inheritdoc/>
    public PredictionKind Kind => PredictionKind.Noise;

    /// <inheritdoc/>
    public Schedule Schedule => unconditional.Schedule;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> x, double t, Span<double> output)
    {
        Span<double> epsC = output.Length <= 64 ? stackalloc double[output.Length] : new double[output.Length];
        new ModelView(unconditional).Noise(x, t, output);
        new ModelView(conditional).Noise(x, t, epsC);
        for (int j = 0; j < output.Length; j++) output[j] += Scale * (epsC[j] - output[j]);
    }
}
