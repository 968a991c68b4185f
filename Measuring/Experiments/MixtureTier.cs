using System.Diagnostics;
using Verified.Reports.Analysis;
using Verified.Numerics;
using Verified.Reports.Model;

namespace Verified.Reports.Experiments;

/// <summary>
/// Tier 1: Gaussian-mixture data, where output laws are not Gaussian. Deterministic samplers: strong error
/// against an RK45 reference of the PF-ODE. Stochastic samplers: strong and weak errors against the same
/// sampler on a fine Brownian path, with N-step runs on the same path (coupled, so the difference has small
/// variance) and 95% CIs. Every run is batched: all start points (strong ODE error) or all (start, path) pairs of a
/// block (coupled Monte Carlo) advance as one batch through the sampler and the batched oracle.
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

    public static IEnumerable<Measurement> Measure(Sampler sampler, Problem problem, ScheduleCase sc, Preset preset, MixtureStatistics? statistics = null)
    {
        var stats = statistics ?? new MixtureStatistics();
        var info = sampler.Info;
        var model = new OracleModel(problem.Data, sc.Schedule);
        double scale = Math.Sqrt(problem.Data.Dimension + Enumerable.Range(0, problem.Data.Count)
            .Sum(k => problem.Data.Weight(k) * problem.Data.Mean(k).Sum(m => m * m)));
        if (!info.IsStochastic)
        {
            if (info.StrongOrder is double strong)
                yield return new Measurement(Metric.StrongRk45, Tier.Exact, strong, StrongOde(sampler, problem, model, sc, preset, stats), RoundOff.Relative(sampler, ReferenceRelativeFloor) * scale);
            yield break;
        }
        if (info.StrongOrder is null && info.WeakOrder is null) yield break;
        var (strongPoints, weakPoints, samples) = Coupled(sampler, problem, model, sc, preset, stats);
        stats.AddSamples(samples);
        int referenceSteps = preset.MixtureLadder[^1] * preset.ReferenceFactor;
        if (info.StrongOrder is double s)
            yield return new Measurement(Metric.StrongPath, Tier.MonteCarlo, s, WithReferenceAllowance(strongPoints, s, referenceSteps), RoundOff.Relative(sampler, 0) * scale);
        if (info.WeakOrder is double w)
            yield return new Measurement(Metric.WeakMoment, Tier.MonteCarlo, w, WithReferenceAllowance(weakPoints, w, referenceSteps), RoundOff.Relative(sampler, 0) * scale);
    }

    private static List<LadderPoint> StrongOde(Sampler sampler, Problem problem, OracleModel model, ScheduleCase sc, Preset preset, MixtureStatistics stats)
    {
        // All starts as one batch: the reference integrates each point on its own, the sampler steps the batch.
        var starts = MarginalDraws.DrawMany(problem.Data, sc.Schedule, sc.TStart, preset.StrongStarts, Preset.Seed).SelectMany(x => x).ToArray();
        var reference = References.PfOde(model, starts, sc.TStart, sc.TMin);
        int d = problem.Dimension, n = preset.StrongStarts;
        var points = new List<LadderPoint>();
        foreach (int steps in preset.MixtureLadder)
        {
            var grid = sc.Grid(steps);
            var clock = Stopwatch.StartNew();
            var result = sampler.Sample(model, starts, grid, ZeroNoise.Instance);
            double seconds = clock.Elapsed.TotalSeconds / n;
            stats.AddRun(n, steps, result.Evaluations, clock.Elapsed.TotalSeconds);
            double sum = 0;
            for (int i = 0; i < n; i++) sum += SquaredDistance(result.State, reference, i * d, d);
            points.Add(new LadderPoint(steps, result.Evaluations, Math.Sqrt(sum / n), 0, seconds, null, null, null));
        }
        return points;
    }

    /// <summary>The coupled Monte Carlo ladders: for M (start, path) pairs, the fine-path reference and every ladder N on the
    /// same path, each ladder point one batched run per block of pairs. A pilot of preset.MonteCarloSamples pairs estimates
    /// each point's CI; M is then the pilot size times the factor that brings every half-width down to
    /// preset.TargetRelativeHalfWidth of its error (<see cref="ChooseSamples"/>), capped at preset.MaxMonteCarloSamples.
    /// Returns the strong-path and weak-moment ladders, and M.</summary>
    private static (List<LadderPoint> Strong, List<LadderPoint> Weak, int Samples) Coupled(Sampler sampler, Problem problem, OracleModel model, ScheduleCase sc, Preset preset, MixtureStatistics stats)
    {
        var ladder = preset.MixtureLadder;
        var fine = sc.Grid(ladder[^1] * preset.ReferenceFactor);
        int pilot = preset.MonteCarloSamples, d = problem.Dimension;
        int blockSize = BlockSize(fine.Steps, d);
        var blocks = new List<CoupledBlock>();
        int total = 0;
        void Extend(int to)
        {
            while (total < to)
            {
                int size = Math.Min(blockSize, to - total);
                blocks.Add(RunBlock(sampler, problem, model, sc, ladder, fine, blocks.Count, size, stats));
                total += size;
            }
        }
        Extend(pilot);
        // Sequential design: re-estimate from everything drawn so far (the pilot's variance and error are noisy), a few rounds.
        for (int round = 0; round < ChoiceRounds; round++)
        {
            int wanted = ChooseSamples(sampler.Info, Collect(blocks, ladder.Length), preset);
            if (wanted <= total) break;
            Extend(wanted);
        }
        var (squared, moment) = Collect(blocks, ladder.Length);
        var strong = new List<LadderPoint>();
        var weak = new List<LadderPoint>();
        for (int k = 0; k < ladder.Length; k++)
        {
            double seconds = blocks.Sum(b => b.Seconds[k]) / total;
            int nfe = blocks[0].Evaluations[k];
            var (ms, ss) = MeanAndStandardError(squared[k]);
            double rms = Math.Sqrt(ms);
            // Per-sample values for the gate's paired comparison: the pilot's, so that the baseline's size does not grow with M.
            strong.Add(new LadderPoint(ladder[k], nfe, rms, rms > 0 ? Z975 * ss / (2 * rms) : 0, seconds, null, null, squared[k][..pilot]));
            var (mw, sw) = MeanAndStandardError(moment[k]);
            weak.Add(new LadderPoint(ladder[k], nfe, Math.Abs(mw), Z975 * sw, seconds, null, null, moment[k][..pilot]));
        }
        return (strong, weak, total);
    }

    /// <summary>Rounds of re-estimating M after the pilot.</summary>
    private const int ChoiceRounds = 3;

    /// <summary>M: the number of samples that, at the variance of the samples so far, brings the 95% half-width of every
    /// ladder point of every declared metric down to TargetRelativeHalfWidth times that point's error (a half-width
    /// shrinks like 1/sqrt(M)); at least the samples so far, at most MaxMonteCarloSamples.</summary>
    internal static int ChooseSamples(SamplerInfo info, (double[][] Squared, double[][] Moment) sofar, Preset preset)
    {
        int m0 = sofar.Squared[0].Length; // the samples so far
        double factor = 1;
        for (int k = 0; k < sofar.Squared.Length; k++)
        {
            if (info.StrongOrder is not null)
            {
                var (ms, ss) = MeanAndStandardError(sofar.Squared[k]);
                double relative = ms > 0 ? Z975 * ss / (2 * ms) : 0; // half-width of the RMS over the RMS (delta method)
                factor = Math.Max(factor, Math.Pow(relative / preset.TargetRelativeHalfWidth, 2));
            }
            if (info.WeakOrder is not null)
            {
                var (mw, sw) = MeanAndStandardError(sofar.Moment[k]);
                double relative = mw != 0 ? Z975 * sw / Math.Abs(mw) : sw > 0 ? double.PositiveInfinity : 0;
                factor = Math.Max(factor, Math.Pow(relative / preset.TargetRelativeHalfWidth, 2));
            }
        }
        double wanted = Math.Min(factor * m0, preset.MaxMonteCarloSamples);
        return Math.Max(m0, (int)Math.Ceiling(wanted));
    }

    /// <summary>Pairs per batch: as many as keep one block's Brownian path (fine steps x pairs x d doubles) near 4 M doubles
    /// (32 MB), between 64 and 4096.</summary>
    private static int BlockSize(int fineSteps, int d) => Math.Clamp(4_000_000 / (fineSteps * d), 64, 4096);

    /// <summary>Per block: its starts (stream Derive(seed, b)), one Brownian path of dimension size d (stream
    /// PathStream + b), the fine-path reference and every ladder point as one batch each.</summary>
    private static CoupledBlock RunBlock(Sampler sampler, Problem problem, OracleModel model, ScheduleCase sc, int[] ladder, TimeGrid fine, int block, int size, MixtureStatistics stats)
    {
        int d = problem.Dimension;
        ulong startSeed = block == 0 ? Preset.Seed : Xoshiro256.Derive(Preset.Seed, (ulong)block);
        var starts = MarginalDraws.DrawMany(problem.Data, sc.Schedule, sc.TStart, size, startSeed).SelectMany(x => x).ToArray();
        var path = new BrownianPath(fine, size * d, Xoshiro256.Derive(Preset.Seed, PathStream + (ulong)block));
        var clock = Stopwatch.StartNew();
        var reference = sampler.Sample(model, starts, path.Fine, path.AsNoise()); // References.OnPath, keeping the NFE
        stats.AddRun(size, fine.Steps, reference.Evaluations, clock.Elapsed.TotalSeconds);
        var phiRef = new double[size];
        for (int i = 0; i < size; i++) phiRef[i] = Phi(reference.State, i * d, d);
        var squared = new double[ladder.Length][];
        var moment = new double[ladder.Length][];
        var seconds = new double[ladder.Length];
        var evaluations = new int[ladder.Length];
        for (int k = 0; k < ladder.Length; k++)
        {
            clock.Restart();
            var result = sampler.Sample(model, starts, path.Coarsen(ladder[k]), path.AsNoise());
            seconds[k] = clock.Elapsed.TotalSeconds;
            stats.AddRun(size, ladder[k], result.Evaluations, seconds[k]);
            evaluations[k] = result.Evaluations;
            squared[k] = new double[size];
            moment[k] = new double[size];
            for (int i = 0; i < size; i++)
            {
                squared[k][i] = SquaredDistance(result.State, reference.State, i * d, d);
                moment[k][i] = Phi(result.State, i * d, d) - phiRef[i];
            }
        }
        return new CoupledBlock(squared, moment, seconds, evaluations);
    }

    private sealed record CoupledBlock(double[][] Squared, double[][] Moment, double[] Seconds, int[] Evaluations);

    private static (double[][] Squared, double[][] Moment) Collect(List<CoupledBlock> blocks, int points) =>
        (Enumerable.Range(0, points).Select(k => blocks.SelectMany(b => b.Squared[k]).ToArray()).ToArray(),
         Enumerable.Range(0, points).Select(k => blocks.SelectMany(b => b.Moment[k]).ToArray()).ToArray());

    private static double SquaredDistance(double[] a, double[] b, int offset, int d)
    {
        double sum = 0;
        for (int j = offset; j < offset + d; j++) sum += (a[j] - b[j]) * (a[j] - b[j]);
        return sum;
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

    /// <summary>phi(x) = |x|^2 / d, the weak test function, for the point at [offset, offset + d).</summary>
    /// <remarks>Tried instead: a smooth squared distance to the nearest mode, -(2 v / d) log sum_k w_k exp(-|x - mu_k|^2 / (2 v)).
    /// On the ring it needed about 5x fewer samples for reverse-SDE EM, but its weak error changes sign between N = 16 and
    /// 32 for DDIM(eta = 1) and DDPM(beta~), leaving those ladders without an asymptotic window; |x|^2 / d resolves them.
    /// Antithetic paths (W, -W) did not reduce the variance of the coupled difference measurably (same M wanted).</remarks>
    private static double Phi(double[] x, int offset, int d)
    {
        double sum = 0;
        for (int j = offset; j < offset + d; j++) sum += x[j] * x[j];
        return sum / d;
    }

    internal static (double Mean, double StandardError) MeanAndStandardError(IReadOnlyList<double> values)
    {
        int n = values.Count;
        double mean = values.Average();
        double variance = n > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (n - 1) : 0;
        return (mean, Math.Sqrt(variance / n));
    }
}
