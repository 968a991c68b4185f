namespace Verified.Numerics;

/// <summary>Argument checks for the public boundary; messages name the parameter, the value and what is valid.</summary>
internal static class Check
{
    public static void NotNull(object? value, string name)
    {
        if (value is null) throw new ArgumentNullException(name);
    }

    public static void Finite(double value, string name)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite, got {value}");
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and > 0, got {value}");
    }

    public static void InRange(double value, double lo, double hi, string name)
    {
        if (!(value >= lo && value <= hi)) throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [{lo}, {hi}], got {value}");
    }

    public static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum) throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= {minimum}, got {value}");
    }

    public static void Dimension(int actual, int expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} must have dimension {expected} (the model's), got {actual}", name);
    }

    /// <summary>A batch of n &gt;= 1 points of dimension d stored row-major: length a positive multiple of d; returns n.</summary>
    public static int Batch(int length, int dimension, string name)
    {
        if (length <= 0 || length % dimension != 0)
            throw new ArgumentException(
                $"{name} must be a batch of n >= 1 points of dimension {dimension} (the model's), i.e. a length that is a positive multiple of {dimension}, got length {length}", name);
        return length / dimension;
    }

    /// <summary>Every entry of a batch finite; the message names the point and the coordinate.</summary>
    public static void AllFiniteBatch(ReadOnlySpan<double> values, int dimension, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] (point {i / dimension}, coordinate {i % dimension}) must be finite, got {values[i]}", name);
    }

    public static void AllFinite(ReadOnlySpan<double> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] must be finite, got {values[i]}", name);
    }

    /// <summary>A state for a model: not null, the model's dimension, every entry finite.</summary>
    public static void State(double[]? x, IDiffusionModel model, string name)
    {
        NotNull(x, name);
        Dimension(x!.Length, model.Dimension, name);
        AllFinite(x, name);
    }
}
