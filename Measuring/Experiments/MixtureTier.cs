using Verified.Reports.Analysis;
using Verified.Numerics;
using Verified.Reports.Model;

namespace Verified.Reports.Experiments;

/// <summary>
/// Tier 1: Gaussian-mixture data, where output laws are not Gaussian. Deterministic samplers: strong error
/// against an RK45 reference of the PF-ODE. Stochastic samplers: strong and weak errors against the same
/// sampler on a fine Brownian path, with N-step runs on the same path (coupled, so the difference has small
/// variance) and 95% CIs.
/// </summary>
internal static class MixtureTier
{
    /// <summary>The RK45 reference is accurate to about rtol = 1e-10 relative; errors below 1e-8 relative may be
    /// reference error.</summary>
    private const double ReferenceRelativeFloor = 1e-8;

    /// <summary>95% two-sided normal quantile.</summary>
    private const double Z975 = 1.959963984540054;

    /// <summary>Stream offset separating the Brownian-path seeds from the start-point seeds.</summary>
    private const ulong PathStream = 1UL << 32;

    public static IEnumerable<Measurement> Measure(Sampler sampler, Problem problem, ScheduleCase sc, Preset preset)
    {
        var info = sampler.Info;
        var model = new OracleModel(problem.Data, sc.Schedule);
        double scale = Math.Sqrt(problem.Data.Dimension + Enumerable.Range(0, problem.Data.Count)
            .Sum(k => problem.Data.Weight(k) * problem.Data.Mean(k).Sum(m => m * m)));
        if (!info.IsStochastic)
        {
            if (info.StrongOrder is double strong)
                yield return new Measurement(Metric.StrongRk45, Tier.Exact, strong, StrongOde(sampler, problem, model, sc, preset), ReferenceRelativeFloor * scale);
            yield break;
        }
        if (info.StrongOrder is null && info.WeakOrder is null) yield break;
        var (strongPoints, weakPoints) = Coupled(sampler, problem, model, sc, preset);
        int referenceSteps = preset.MixtureLadder[^1] * preset.ReferenceFactor;
        if (info.StrongOrder is double s)
            yield return new Measurement(Metric.StrongPath, Tier.MonteCarlo, s, WithReferenceAllowance(strongPoints, s, referenceSteps), 0);
        if (info.WeakOrder is double w)
            yield return new Measurement(Metric.WeakMoment, Tier.MonteCarlo, w, WithReferenceAllowance(weakPoints, w, referenceSteps), 0);
    }

    private static List<LadderPoint> StrongOde(Sampler sampler, Problem problem, OracleModel model, ScheduleCase sc, Preset preset)
    {
        var starts = MarginalSampler.DrawMany(problem.Data, sc.Schedule, sc.TStart, preset.StrongStarts, Preset.Seed);
        var reference = starts.Select(x => References.PfOde(model, x, sc.TStart, sc.TMin)).ToArray();
        var points = new List<LadderPoint>();
        foreach (int n in preset.MixtureLadder)
        {
            var grid = sc.Grid(n);
            double sum = 0;
            for (int i = 0; i < starts.Length; i++)
                sum += ExactTier.SquaredDistance(sampler.Sample(model, starts[i], grid, ZeroNoise.Instance).State, reference[i]);
            var (seconds, nfe) = Timing.PerSample(() => sampler.Sample(model, starts[0], grid, ZeroNoise.Instance));
            points.Add(new LadderPoint(n, nfe, Math.Sqrt(sum / starts.Length), 0, seconds, null, null, null));
        }
        return points;
    }

    /// <summary>For each of M (start, path) pairs: the fine-path reference and every ladder N on the same path.
    /// Returns the strong-path and weak-moment ladders.</summary>
    private static (List<LadderPoint> Strong, List<LadderPoint> Weak) Coupled(Sampler sampler, Problem problem, OracleModel model, ScheduleCase sc, Preset preset)
    {
        int m = preset.MonteCarloSamples, d = problem.Dimension;
        var ladder = preset.MixtureLadder;
        var fine = sc.Grid(ladder[^1] * preset.ReferenceFactor);
        var starts = MarginalSampler.DrawMany(problem.Data, sc.Schedule, sc.TStart, m, Preset.Seed);
        var squared = new double[ladder.Length][];
        var moment = new double[ladder.Length][];
        for (int k = 0; k < ladder.Length; k++) { squared[k] = new double[m]; moment[k] = new double[m]; }
        for (int i = 0; i < m; i++)
        {
            var path = new BrownianPath(fine, d, Xoshiro256.Derive(Preset.Seed, PathStream + (ulong)i));
            var reference = References.OnPath(sampler, model, starts[i], path);
            double phiRef = Phi(reference);
            for (int k = 0; k < ladder.Length; k++)
            {
                var x = sampler.Sample(model, starts[i], path.Coarsen(ladder[k]), path.AsNoise()).State;
                squared[k][i] = ExactTier.SquaredDistance(x, reference);
                moment[k][i] = Phi(x) - phiRef;
            }
        }
        var strong = new List<LadderPoint>();
        var weak = new List<LadderPoint>();
        for (int k = 0; k < ladder.Length; k++)
        {
            var grid = sc.Grid(ladder[k]);
            var (seconds, nfe) = Timing.PerSample(() => sampler.Sample(model, starts[0], grid, new SeededNoise(Preset.Seed)));
            var (ms, ss) = MeanAndStandardError(squared[k]);
            double rms = Math.Sqrt(ms);
            strong.Add(new LadderPoint(ladder[k], nfe, rms, rms > 0 ? Z975 * ss / (2 * rms) : 0, seconds, null, null, squared[k]));
            var (mw, sw) = MeanAndStandardError(moment[k]);
            weak.Add(new LadderPoint(ladder[k], nfe, Math.Abs(mw), Z975 * sw, seconds, null, null, moment[k]));
        }
        return (strong, weak);
    }

    /// <summary>The fine-path reference is the same sampler at N_ref steps, so it carries its own error. If the
    /// declared order p holds (the hypothesis under test), that error is about e(N_max) (N_max / N_ref)^p; it is added
    /// to every point's half-width so that the CI covers the reference's bias as well as the sampling noise.</summary>
    internal static List<LadderPoint> WithReferenceAllowance(List<LadderPoint> points, double declared, int referenceSteps)
    {
        var last = points[^1];
        double allowance = last.Error * Math.Pow((double)last.N / referenceSteps, declared);
        return points.Select(p => p with { HalfWidth = p.HalfWidth + allowance }).ToList();
    }

    /// <summary>phi(x) = |x|^2 / d, the weak test function.</summary>
    private static double Phi(double[] x) => x.Sum(v => v * v) / x.Length;

    internal static (double Mean, double StandardError) MeanAndStandardError(IReadOnlyList<double> values)
    {
        int n = values.Count;
        double mean = values.Average();
        double variance = n > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (n - 1) : 0;
        return (mean, Math.Sqrt(variance / n));
    }
}
