using Verified.Theory;

namespace Verified.Numerics;

/// <summary>The exact class-conditional score grad log p_t(x | c) of a labelled mixture (section 6): the score of the
/// class-c sub-mixture. Sampling with it targets p_0(x | c).</summary>
public sealed class ConditionalOracleModel : IDiffusionModel
{
    /// <summary>The conditional oracle for one class.</summary>
    /// <param name="conditional">the labelled mixture's class-conditional view.</param>
    /// <param name="label">a class label in 0..ClassCount-1.</param>
    public ConditionalOracleModel(ClassConditional conditional, int label)
    {
        Check.NotNull(conditional, nameof(conditional));
        Guidance.CheckLabel(conditional, label);
        Conditional = conditional;
        Label = label;
    }

    /// <summary>The class-conditional view.</summary>
    public ClassConditional Conditional { get; }

    /// <summary>c.</summary>
    public int Label { get; }

    /// <inheritdoc/>
    public int Dimension => Conditional.Oracle.Dimension;

    /// <inheritdoc/>
    public PredictionKind Kind => PredictionKind.Score;

    /// <inheritdoc/>
    public Schedule Schedule => Conditional.Oracle.Schedule;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> x, double t, Span<double> output) =>
        Conditional.ConditionalScore(x.ToArray(), t, Label).AsSpan().CopyTo(output);
}

/// <summary>Argument checks shared by the guidance wrappers.</summary>
internal static class Guidance
{
    public static void CheckLabel(ClassConditional conditional, int label)
    {
        if (label < 0 || label >= conditional.ClassCount)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"label must be a class in 0..{conditional.ClassCount - 1}, got {label}");
    }
}
