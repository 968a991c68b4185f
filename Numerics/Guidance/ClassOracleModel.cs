using Verified.Theory;

namespace Verified.Numerics;

/// <summary>A score model of one class c of a labelled mixture (section 6); subclasses say which score.</summary>
public abstract class ClassOracleModel : IDiffusionModel
{
    /// <summary>Checks and stores the class view and the label.</summary>
    /// <param name="conditional">the labelled mixture's class-conditional view.</param>
    /// <param name="label">a class label in 0..ClassCount-1.</param>
    protected ClassOracleModel(ClassConditional conditional, int label)
    {
        Check.NotNull(conditional, nameof(conditional));
        if (label < 0 || label >= conditional.ClassCount)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"label must be a class in 0..{conditional.ClassCount - 1}, got {label}");
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
    public void Predict(ReadOnlySpan<double> x, double t, Span<double> output)
    {
        int d = Dimension;
        int n = Check.Batch(x.Length, d, nameof(x));
        for (int p = 0; p < n; p++) Score(x.Slice(p * d, d).ToArray(), t).AsSpan().CopyTo(output.Slice(p * d, d));
    }

    /// <summary>The score at (x, t) for one point (length d).</summary>
    protected abstract double[] Score(double[] x, double t);
}
