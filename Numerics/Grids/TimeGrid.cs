using System.Collections;
using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// A strictly decreasing grid of forward times T = t_N &gt; ... &gt; t_0 = t_min, stored in sampling order
/// (index 0 is the start). A sampler takes <see cref="Steps"/> steps, step i going from this[i] to this[i+1].
/// </summary>
public sealed class TimeGrid : IReadOnlyList<double>
{
    private readonly double[] times;

    /// <summary>A grid from explicit times, in sampling order (strictly decreasing, finite, at least two).</summary>
    public TimeGrid(double[] times)
    {
        Check.NotNull(times, nameof(times));
        if (times.Length < 2)
            throw new ArgumentException($"times must hold at least 2 points (one step), got {times.Length}", nameof(times));
        for (int i = 0; i < times.Length; i++)
        {
            if (!double.IsFinite(times[i]))
                throw new ArgumentException($"times[{i}] must be finite, got {times[i]}", nameof(times));
            if (i > 0 && !(times[i] < times[i - 1]))
                throw new ArgumentException($"times must be strictly decreasing: times[{i - 1}] = {times[i - 1]}, times[{i}] = {times[i]}", nameof(times));
        }
        this.times = (double[])times.Clone();
    }

    /// <summary>Number of steps (points - 1).</summary>
    public int Steps => times.Length - 1;

    /// <summary>The start time (largest).</summary>
    public double Start => times[0];

    /// <summary>The end time (smallest).</summary>
    public double End => times[^1];

    /// <inheritdoc/>
    public int Count => times.Length;

    /// <inheritdoc/>
    public double this[int index] => times[index];

    /// <summary>Throws unless every point lies in the schedule's domain.</summary>
    public void CheckInside(Schedule schedule, string paramName)
    {
        Check.NotNull(schedule, nameof(schedule));
        for (int i = 0; i < times.Length; i++)
            if (!schedule.IsInDomain(times[i]))
                throw new ArgumentOutOfRangeException(paramName, times[i],
                    $"{paramName}[{i}] = {times[i]} lies outside the domain [{schedule.TMin}, {schedule.TMax}{(schedule.TMaxIncluded ? "]" : ")")} of {schedule.Name}");
    }

    /// <summary>A copy of the times.</summary>
    public double[] ToArray() => (double[])times.Clone();

    /// <inheritdoc/>
    public IEnumerator<double> GetEnumerator() => ((IEnumerable<double>)times).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"TimeGrid({Steps} steps, {Start} -> {End})";
}
