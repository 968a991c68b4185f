using System.Globalization;

namespace Verified.Reports.Experiments;

/// <summary>What the mixture tier's batched runs did in one report run: the Monte Carlo sample counts it chose and the
/// throughput of the batched path (sampler plus batched oracle), summed over jobs. Thread-safe.</summary>
internal sealed class MixtureStatistics
{
    private readonly object gate = new();
    private readonly List<int> samples = [];
    private double pointSteps, pointEvaluations, seconds;

    /// <summary>One batched run: <paramref name="points"/> points over <paramref name="steps"/> steps with
    /// <paramref name="evaluations"/> batched model calls, in <paramref name="elapsed"/> seconds of one thread.</summary>
    public void AddRun(int points, int steps, int evaluations, double elapsed)
    {
        lock (gate)
        {
            pointSteps += (double)points * steps;
            pointEvaluations += (double)points * evaluations;
            seconds += elapsed;
        }
    }

    /// <summary>The M chosen for one coupled ladder pair.</summary>
    public void AddSamples(int m)
    {
        lock (gate) samples.Add(m);
    }

    /// <summary>Point-steps per second of one thread over all batched runs (0 before any run).</summary>
    public double PointStepsPerSecond { get { lock (gate) return seconds > 0 ? pointSteps / seconds : 0; } }

    /// <summary>Point-evaluations (model evaluations per point) per second of one thread.</summary>
    public double PointEvaluationsPerSecond { get { lock (gate) return seconds > 0 ? pointEvaluations / seconds : 0; } }

    /// <summary>One line for the report's notes; null when the tier did not run.</summary>
    public string? Note(Preset preset)
    {
        lock (gate)
        {
            if (seconds == 0) return null;
            var inv = CultureInfo.InvariantCulture;
            string chosen = samples.Count == 0 ? "" : string.Format(inv,
                "; Monte Carlo samples M per stochastic ladder chosen for a 95% half-width of {0:0.##} x the error (pilot {1}, cap {2}): min {3}, median {4}, max {5} over {6} ladders",
                preset.TargetRelativeHalfWidth, preset.MonteCarloSamples, preset.MaxMonteCarloSamples,
                samples.Min(), samples.Order().ElementAt(samples.Count / 2), samples.Max(), samples.Count);
            return string.Format(inv, "mixture tier, batched path: {0:0.00e0} point-steps/s and {1:0.00e0} point-evaluations/s per thread over {2:0.0} s of batched runs{3}",
                pointSteps / seconds, pointEvaluations / seconds, seconds, chosen);
        }
    }
}
