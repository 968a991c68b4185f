using Verified.Reports.Analysis;
using Verified.Numerics;
using Verified.Reports.Model;
using Verified.Theory;

namespace Verified.Reports.Experiments;

/// <summary>
/// Tier 0: Gaussian data, where every sampler maps its Gaussian inputs affinely to its output, so the output
/// law is exactly Gaussian (THEORY "Exact output laws"). Weak error = W2 to the exact p_{t_min}; for
/// deterministic samplers also the strong error against the closed-form flow map (CM.1, CM.2).
/// </summary>
internal static class ExactTier
{
    /// <summary>The engine evaluates W2 as a sum of squares (no cancellation), so its absolute error is a modest
    /// multiple of machine epsilon times the law's scale; 1e-11 relative leaves a wide margin for d &lt;= 16.</summary>
    private const double W2RelativeFloor = 1e-11;

    /// <summary>The flow map and the samplers accumulate round-off over N steps; 1e-11 relative is far above it.</summary>
    private const double StrongRelativeFloor = 1e-11;

    public static IEnumerable<Measurement> Measure(Sampler sampler, Problem problem, ScheduleCase sc, Preset preset)
    {
        var info = sampler.Info;
        var model = new OracleModel(problem.Data, sc.Schedule);
        var target = OutputLaw.Target(model, sc.TMin);
        double scale = target.Mean.Sum(m => m * m) + Enumerable.Range(0, target.Dimension).Sum(i => target.Covariance[i, i]);
        double w2Floor = RoundOff.Relative(sampler, W2RelativeFloor) * Math.Sqrt(scale);
        if (info.WeakOrder is double weak && info.IsAffine)
            yield return new Measurement(Metric.WeakW2, Tier.Exact, weak, Weak(sampler, model, sc, preset, target), w2Floor);
        else if (info.WeakOrder is double weakRounded && (sampler as IFinitePrecisionSampler)?.ExactArithmetic is { Info.IsAffine: true } twin)
        {
            var (points, coupling) = WeakThroughTwin(sampler, twin, problem, model, sc, preset, target);
            yield return new Measurement(Metric.WeakW2, Tier.Exact, weakRounded, points, Math.Max(w2Floor, CouplingMargin * coupling));
        }
        if (!info.IsStochastic && info.StrongOrder is double strong)
            yield return new Measurement(Metric.StrongFlowMap, Tier.Exact, strong, Strong(sampler, problem, model, sc, preset), RoundOff.Relative(sampler, StrongRelativeFloor) * Math.Sqrt(scale));
    }

    private static List<LadderPoint> Weak(Sampler sampler, OracleModel model, ScheduleCase sc, Preset preset, GaussianLaw target)
    {
        var points = new List<LadderPoint>();
        foreach (int n in preset.ExactLadder)
        {
            var grid = sc.Grid(n);
            var law = OutputLaw.Compute(sampler, model, grid);
            var start = law.Mean; // any start: only time and NFE are read
            var (seconds, nfe) = Timing.PerSample(() => sampler.Sample(model, start, grid, new SeededNoise(Preset.Seed)));
            points.Add(new LadderPoint(n, nfe, law.Wasserstein2(target), 0, seconds, law.KullbackLeibler(target), null, null));
        }
        return points;
    }

    /// <summary>A rounded run's law lies within the coupling distance of its exact-arithmetic twin's law (any coupling bounds
    /// W2), so |W2(rounded law, target) - W2(twin law, target)| &lt;= coupling; the floor keeps a factor 10 above it, so the
    /// points used by the fit measure the rounded sampler's W2 to 10%.</summary>
    private const double CouplingMargin = 10;

    /// <summary>The weak ladder of a finite-precision sampler: W2 of its exact-arithmetic twin's law (probed, exactly
    /// affine), and the largest coupling distance sqrt(E|X - X_twin|^2) over the ladder (same exact starts, same noise).</summary>
    private static (List<LadderPoint> Points, double Coupling) WeakThroughTwin(Sampler sampler, Sampler twin, Problem problem, OracleModel model,
        ScheduleCase sc, Preset preset, GaussianLaw target)
    {
        var starts = MarginalDraws.DrawMany(problem.Data, sc.Schedule, sc.TStart, preset.StrongStarts, Preset.Seed).SelectMany(x => x).ToArray();
        int n = preset.StrongStarts;
        var points = new List<LadderPoint>();
        double coupling = 0;
        foreach (int steps in preset.ExactLadder)
        {
            var grid = sc.Grid(steps);
            var law = OutputLaw.Compute(twin, model, grid);
            var rounded = sampler.Sample(model, starts, grid, new SeededNoise(Preset.Seed)).State;
            var exact = twin.Sample(model, starts, grid, new SeededNoise(Preset.Seed)).State;
            coupling = Math.Max(coupling, Math.Sqrt(SquaredDistance(rounded, exact) / n));
            var start = law.Mean;
            var (seconds, nfe) = Timing.PerSample(() => sampler.Sample(model, start, grid, new SeededNoise(Preset.Seed)));
            points.Add(new LadderPoint(steps, nfe, law.Wasserstein2(target), 0, seconds, law.KullbackLeibler(target), null, null));
        }
        return (points, coupling);
    }

    private static List<LadderPoint> Strong(Sampler sampler, Problem problem, OracleModel model, ScheduleCase sc, Preset preset)
    {
        var starts = MarginalDraws.DrawMany(problem.Data, sc.Schedule, sc.TStart, preset.StrongStarts, Preset.Seed);
        var flow = new GaussianFlow(problem.Data, sc.Schedule);
        var exact = starts.Select(x => flow.FlowMap(x, sc.TStart, sc.TMin)).ToArray();
        var points = new List<LadderPoint>();
        foreach (int n in preset.ExactLadder)
        {
            var grid = sc.Grid(n);
            double sum = 0;
            for (int i = 0; i < starts.Length; i++)
                sum += SquaredDistance(sampler.Sample(model, starts[i], grid, ZeroNoise.Instance).State, exact[i]);
            var (seconds, nfe) = Timing.PerSample(() => sampler.Sample(model, starts[0], grid, ZeroNoise.Instance));
            points.Add(new LadderPoint(n, nfe, Math.Sqrt(sum / starts.Length), 0, seconds, null, null, null));
        }
        return points;
    }

    internal static double SquaredDistance(double[] a, double[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
        return s;
    }
}
