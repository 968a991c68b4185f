using Verified.Reports.Analysis;
using Verified.Numerics;
using Verified.Reports.Model;
using Verified.Theory;

namespace Verified.Reports.Experiments;

/// <summary>
/// Adaptive samplers (no fixed NFE per step, <see cref="SamplerInfo.EvaluationsPerStep"/> null) are measured by
/// error against tolerance, not against N: the sampler is rebuilt with rtol = atol = tol for a ladder of tolerances
/// and solves T -&gt; t_min in one adaptive interval. A well-behaved error controller gives error proportional to
/// tol (THEORY "Expected convergence orders": RK45, error vs tolerance); the ladder stores N = 1/tol, and the
/// expected slope in N is the sampler's <see cref="IAdaptiveSampler.ToleranceOrder"/> (1 for error proportional to
/// tol, whatever the method's own order). The claim is one-sided: a steeper slope (error shrinking faster than tol, as
/// local extrapolation in Dormand-Prince tends to give) passes.
/// </summary>
internal static class ToleranceTier
{
    /// <summary>Tolerances 1e-3 .. 1e-8 (exact tier), 1e-3 .. 1e-7 in tier 1 where the reference runs at 1e-10.</summary>
    private static readonly int[] ExactExponents = [3, 4, 5, 6, 7, 8];
    private static readonly int[] MixtureExponents = [3, 4, 5, 6, 7];

    /// <summary>The interface that rebuilds the sampler at each tolerance and declares its tolerance order, or null when
    /// the sampler does not implement it.</summary>
    public static IAdaptiveSampler? Rebuild(Sampler sampler) => sampler as IAdaptiveSampler;

    public static IEnumerable<Measurement> Measure(IAdaptiveSampler adaptive, Problem problem, ScheduleCase sc, Preset preset)
    {
        var model = new OracleModel(problem.Data, sc.Schedule);
        var starts = MarginalDraws.DrawMany(problem.Data, sc.Schedule, sc.TStart, preset.StrongStarts, Preset.Seed);
        double[][] exact;
        int[] exponents;
        Metric metric;
        if (problem.IsGaussian)
        {
            var flow = new GaussianFlow(problem.Data, sc.Schedule);
            exact = starts.Select(x => flow.FlowMap(x, sc.TStart, sc.TMin)).ToArray();
            (exponents, metric) = (ExactExponents, Metric.StrongFlowMapTolerance);
        }
        else
        {
            exact = starts.Select(x => References.PfOde(model, x, sc.TStart, sc.TMin)).ToArray();
            (exponents, metric) = (MixtureExponents, Metric.StrongRk45Tolerance);
        }
        var grid = new TimeGrid([sc.TStart, sc.TMin]);
        var points = new List<LadderPoint>();
        foreach (int k in exponents)
        {
            double tol = Math.Pow(10, -k);
            var sampler = adaptive.WithTolerance(tol, tol);
            double sum = 0, nfe = 0;
            for (int i = 0; i < starts.Length; i++)
            {
                var result = sampler.Sample(model, starts[i], grid, ZeroNoise.Instance);
                sum += ExactTier.SquaredDistance(result.State, exact[i]);
                nfe += result.Evaluations;
            }
            var (seconds, _) = Timing.PerSample(() => sampler.Sample(model, starts[0], grid, ZeroNoise.Instance));
            points.Add(new LadderPoint((int)Math.Pow(10, k), (int)Math.Round(nfe / starts.Length), Math.Sqrt(sum / starts.Length), 0, seconds, null, null, null));
        }
        // Flow-map errors are exact to ~1e-13; RK45 references to ~1e-9 (rtol 1e-10).
        double floor = problem.IsGaussian ? 1e-12 : 1e-9;
        yield return new Measurement(metric, Tier.Exact, adaptive.ToleranceOrder, points, floor);
    }
}
