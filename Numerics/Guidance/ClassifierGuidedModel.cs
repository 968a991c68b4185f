using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// Classifier guidance with the exact noisy classifier (C6.2, [54]-[57]): s_w(x, t) = grad log p_t(x) + w grad log p_t(c | x),
/// where p_t(c | x) is the optimum of the noisy-classifier cross-entropy. w = 1 gives the conditional score (C6.1),
/// w = 0 the unconditional one; other w give the score of the tilted density p_t(x) p_t(c | x)^w (C6.4).
/// </summary>
public sealed class ClassifierGuidedModel : ClassOracleModel
{
    /// <summary>The guided score for one class at one scale.</summary>
    /// <param name="conditional">the labelled mixture's class-conditional view.</param>
    /// <param name="label">a class label in 0..ClassCount-1.</param>
    /// <param name="scale">w, finite.</param>
    public ClassifierGuidedModel(ClassConditional conditional, int label, double scale) : base(conditional, label)
    {
        Check.Finite(scale, nameof(scale));
        Scale = scale;
    }

    /// <summary>w.</summary>
    public double Scale { get; }

    /// <inheritdoc/>
    protected override double[] Score(double[] x, double t) => Conditional.ClassifierGuidedScore(x, t, Label, Scale);
}
