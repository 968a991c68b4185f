using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// Classifier guidance with the exact noisy classifier (C6.2, [54]-[57]): s_w(x, t) = grad log p_t(x) + w grad log p_t(c | x),
/// where p_t(c | x) is the optimum of the noisy-classifier cross-entropy. w = 1 gives the conditional score (C6.1),
/// w = 0 the unconditional one; other w give the score of the tilted density p_t(x) p_t(c | x)^w (C6.4).
/// </summary>
public sealed class ClassifierGuidedModel : IDiffusionModel
{
    /// <summary>The guided score for one class at one scale.</summary>
    /// <param name="conditional">the labelled mixture's class-conditional view.</param>
    /// <param name="label">a class label in 0..ClassCount-1.</param>
    /// <param name="scale">w, finite.</param>
    public ClassifierGuidedModel(ClassConditional conditional, int label, double scale)
    {
        Check.NotNull(conditional, nameof(conditional));
        Guidance.CheckLabel(conditional, label);
        Check.Finite(scale, nameof(scale));
        Conditional = conditional;
        Label = label;
        Scale = scale;
    }

    /// <summary>The class-conditional view.</summary>
    public ClassConditional Conditional { get; }

    /// <summary>c.</summary>
    public int Label { get; }

    /// <summary>w.</summary>
    public double Scale { get; }

    /// <inheritdoc/>
    public int Dimension => Conditional.Oracle.Dimension;

    /// <inheritdoc/>
    public PredictionKind Kind => PredictionKind.Score;

    /// <inheritdoc/>
    public Schedule Schedule => Conditional.Oracle.Schedule;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> x, double t, Span<double> output) =>
        Conditional.ClassifierGuidedScore(x.ToArray(), t, Label, Scale).AsSpan().CopyTo(output);
}
