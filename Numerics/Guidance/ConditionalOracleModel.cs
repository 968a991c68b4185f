using Verified.Theory;

namespace Verified.Numerics;

/// <summary>The exact class-conditional score grad log p_t(x | c) of a labelled mixture (section 6): the score of the
/// class-c sub-mixture. Sampling with it targets p_0(x | c).</summary>
/// <param name="conditional">the labelled mixture's class-conditional view.</param>
/// <param name="label">a class label in 0..ClassCount-1.</param>
public sealed class ConditionalOracleModel(ClassConditional conditional, int label) : ClassOracleModel(conditional, label)
{
    /// <inheritdoc/>
    protected override double[] Score(double[] x, double t) => Conditional.ConditionalScore(x, t, Label);
}
