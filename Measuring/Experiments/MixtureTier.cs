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

    /// <summary>The tier-1 ladders of one job. <paramref name="only"/> restricts the output to one metric (a ladder
    /// extension re-measures only the ladder it extends; the coupled pairs are then sized for that metric alone).</summary>
    public static IEnumerable<Measurement> Measure(Sampler sampler, Problem problem, ScheduleCase sc, Preset preset, MixtureStatistics? statistics = null, Metric? only = null)
    {
        var stats = statistics ?? new MixtureStatistics();
        var info = sampler.Info;
        var model = new OracleModel(problem.Data, sc.Schedule);
        double scale = Math.Sqrt(problem.Data.Dimension + Enumerable.Range(0, problem.Data.Count)
            .Sum(k => problem.Data.Weight(k) * problem.Data.Mean(k).Sum(m => m * m)));
        if (!info.IsStochastic)
        {
            if (info.StrongOrder is double strong && (only is null || only == Metric.StrongRk45))
                yield return new Measurement(Metric.StrongRk45, Tier.Exact, strong, StrongOde(sampler, problem, model, sc, preset, stats), RoundOff.Relative(sampler, ReferenceRelativeFloor) * scale);
            yield break;
        }
        bool wantStrong = info.StrongOrder is not null && (only is null || only == Metric.StrongPath);
        bool wantWeak = info.WeakOrder is not null && (only is null || !only.IsStrong);
        if (!wantStrong && !wantWeak) yield break;
        var coupled = Coupled(sampler, problem, model, sc, preset, stats, wantStrong, wantWeak, only is { IsStrong: false } ? only : null);
        stats.AddSamples(coupled.Samples);
        int referenceSteps = preset.MixtureLadder[^1] * preset.ReferenceFactor;
        if (wantStrong && info.StrongOrder is double s)
            yield return new Measurement(Metric.StrongPath, Tier.MonteCarlo, s, WithReferenceAllowance(coupled.Strong, s, referenceSteps), RoundOff.Relative(sampler, 0) * scale);
        if (wantWeak && info.WeakOrder is double w)
            yield return new Measurement(coupled.WeakMetric, Tier.MonteCarlo, w, WithReferenceAllowance(coupled.Weak, w, referenceSteps), RoundOff.Relative(sampler, 0) * scale);
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
    /// each point's CI and chooses the weak test function (<see cref="TestFunctions"/>); M is then the count that brings
    /// every fine-end half-width down to preset.TargetRelativeHalfWidth of its error (<see cref="ChooseSamples"/>), capped
    /// at preset.MaxMonteCarloSamples. The weak ladder is estimated from the pairs after the pilot only, so the choice of
    /// test function is independent of the numbers it is judged on; the strong ladder uses every pair.</summary>
    private static CoupledLadders Coupled(Sampler sampler, Problem problem, OracleModel model, ScheduleCase sc, Preset preset, MixtureStatistics stats,
        bool wantStrong, bool wantWeak, Metric? weakMetric)
    {
        var ladder = preset.MixtureLadder;
        var fine = sc.Grid(ladder[^1] * preset.ReferenceFactor);
        int pilot = preset.MonteCarloSamples, d = problem.Dimension;
        int blockSize = BlockSize(fine.Steps, d);
        var functions = TestFunctions.For(problem);
        var blocks = new List<CoupledBlock>();
        int total = 0;
        void Extend(int to)
        {
            while (total < to)
            {
                int size = Math.Min(blockSize, to - total);
                blocks.Add(RunBlock(sampler, problem, model, sc, ladder, fine, blocks.Count, size, functions, stats));
                total += size;
            }
        }
        Extend(pilot);
        int f = weakMetric is null ? TestFunctions.Choose(functions, Collect(blocks, ladder.Length, functions.Count).Moments, preset) : functions.FindIndex(t => t.Metric == weakMetric);
        // The weak ladder reads the pairs after the pilot; at least as many as the pilot.
        Extend(2 * pilot);
        // Sequential design: re-estimate from everything drawn so far (the pilot's variance and error are noisy), a few rounds.
        for (int round = 0; round < ChoiceRounds; round++)
        {
            var sofar = Collect(blocks, ladder.Length, functions.Count);
            int wanted = ChooseSamples(wantStrong ? sofar.Distances : null, wantWeak ? After(sofar.Moments[f], pilot) : null, pilot, preset);
            if (wanted <= total) break;
            Extend(wanted);
        }
        var (distances, moments) = Collect(blocks, ladder.Length, functions.Count);
        var moment = After(moments[f], pilot);
        var strong = new List<LadderPoint>();
        var weak = new List<LadderPoint>();
        for (int k = 0; k < ladder.Length; k++)
        {
            double seconds = blocks.Sum(b => b.Seconds[k]) / total;
            int nfe = blocks[0].Evaluations[k];
            // The strong error E|X_N - X_ref| (Kloeden & Platen's definition of strong order), not the RMS: on multimodal
            // data a fraction ~h of paths switches mode, which adds ~h to the mean distance but ~h^(1/2) to the RMS, so the
            // RMS of a correct order-1 sampler shows order 1/2 until h is far below the mode-switching scale (seen on
            // mix-16d: RMS local orders 0.52-0.61 up to N = 256 for reverse-SDE EM and generalised reverse).
            var (mean, se) = MeanAndStandardError(distances[k]);
            // Per-sample values for the gate's paired comparison: the first pilot-many, so that the baseline's size does not grow with M.
            strong.Add(new LadderPoint(ladder[k], nfe, mean, Z975 * se, seconds, null, null, distances[k][..pilot]));
            var (mw, sw) = MeanAndStandardError(moment[k]);
            weak.Add(new LadderPoint(ladder[k], nfe, Math.Abs(mw), Z975 * sw, seconds, null, null, moment[k][..pilot]));
        }
        return new CoupledLadders(strong, weak, functions[f].Metric, total);
    }

    private sealed record CoupledLadders(List<LadderPoint> Strong, List<LadderPoint> Weak, Metric WeakMetric, int Samples);

    private static double[][] After(double[][] values, int skip) => values.Select(v => v[skip..]).ToArray();

    /// <summary>Rounds of re-estimating M after the pilot.</summary>
    private const int ChoiceRounds = 3;

    /// <summary>The fine end of a ladder, where its fitted window lies: the finest this many points. Coarse points are
    /// often pre-asymptotic (errors of 10^2-10^3 at N = 4) or cross zero, and are not worth resolving.</summary>
    internal const int FinePoints = 4;

    /// <summary>M: the number of pairs that, at the variance of the pairs so far, brings the 95% half-width of every
    /// fine-end ladder point (<see cref="FinePoints"/>) of every given metric down to TargetRelativeHalfWidth times that
    /// point's error (a half-width shrinks like 1/sqrt(M)); at least the pairs so far, at most MaxMonteCarloSamples (plus
    /// the pilot, which the weak ladder does not read).
    /// <paramref name="distances"/>: per ladder point, the distances |X_N - X_ref| of the strong metric over every pair (null: not
    /// wanted); <paramref name="moment"/>: the coupled differences of the weak test function over the pairs after the first
    /// <paramref name="skipped"/> (null: not wanted).</summary>
    internal static int ChooseSamples(double[][]? distances, double[][]? moment, int skipped, Preset preset)
    {
        int Wanted(double[][] values, bool strong, int offset)
        {
            double factor = 1;
            for (int k = Math.Max(0, values.Length - FinePoints); k < values.Length; k++)
                factor = Math.Max(factor, Math.Pow(RelativeHalfWidth(values[k], strong) / preset.TargetRelativeHalfWidth, 2));
            double m = Math.Min(factor * values[0].Length, preset.MaxMonteCarloSamples);
            return offset + Math.Max(values[0].Length, (int)Math.Ceiling(m));
        }
        int wanted = 0;
        if (distances is not null) wanted = Math.Max(wanted, Wanted(distances, true, 0));
        if (moment is not null) wanted = Math.Max(wanted, Wanted(moment, false, skipped));
        return wanted;
    }

    /// <summary>The 95% half-width of a ladder point over its error: the mean of distances (strong, nonnegative) or the
    /// mean of coupled differences (weak, either sign).</summary>
    internal static double RelativeHalfWidth(IReadOnlyList<double> values, bool strong)
    {
        var (mean, se) = MeanAndStandardError(values);
        if (strong) return mean > 0 ? Z975 * se / mean : 0;
        return mean != 0 ? Z975 * se / Math.Abs(mean) : se > 0 ? double.PositiveInfinity : 0;
    }

    /// <summary>Pairs per batch: as many as keep one block's Brownian path (fine steps x pairs x d doubles) near 4 M doubles
    /// (32 MB), between 64 and 4096.</summary>
    private static int BlockSize(int fineSteps, int d) => Math.Clamp(4_000_000 / (fineSteps * d), 64, 4096);

    /// <summary>Per block: its starts (stream Derive(seed, b)), one Brownian path of dimension size d (stream
    /// PathStream + b), the fine-path reference and every ladder point as one batch each; per ladder point the
    /// distances |X_N - X_ref| and, per test function, the coupled differences phi(X_N) - phi(X_ref).</summary>
    private static CoupledBlock RunBlock(Sampler sampler, Problem problem, OracleModel model, ScheduleCase sc, int[] ladder, TimeGrid fine, int block, int size,
        IReadOnlyList<TestFunction> functions, MixtureStatistics stats)
    {
        int d = problem.Dimension;
        ulong startSeed = block == 0 ? Preset.Seed : Xoshiro256.Derive(Preset.Seed, (ulong)block);
        var starts = MarginalDraws.DrawMany(problem.Data, sc.Schedule, sc.TStart, size, startSeed).SelectMany(x => x).ToArray();
        var path = new BrownianPath(fine, size * d, Xoshiro256.Derive(Preset.Seed, PathStream + (ulong)block));
        var clock = Stopwatch.StartNew();
        var reference = sampler.Sample(model, starts, path.Fine, path.AsNoise()); // References.OnPath, keeping the NFE
        stats.AddRun(size, fine.Steps, reference.Evaluations, clock.Elapsed.TotalSeconds);
        var phiRef = functions.Select(t => Enumerable.Range(0, size).Select(i => t.Value(reference.State, i * d)).ToArray()).ToArray();
        var distances = new double[ladder.Length][];
        var moments = functions.Select(_ => new double[ladder.Length][]).ToArray();
        var seconds = new double[ladder.Length];
        var evaluations = new int[ladder.Length];
        for (int k = 0; k < ladder.Length; k++)
        {
            clock.Restart();
            var result = sampler.Sample(model, starts, path.Coarsen(ladder[k]), path.AsNoise());
            seconds[k] = clock.Elapsed.TotalSeconds;
            stats.AddRun(size, ladder[k], result.Evaluations, seconds[k]);
            evaluations[k] = result.Evaluations;
            distances[k] = new double[size];
            for (int i = 0; i < size; i++) distances[k][i] = Math.Sqrt(SquaredDistance(result.State, reference.State, i * d, d));
            for (int f = 0; f < functions.Count; f++)
            {
                moments[f][k] = new double[size];
                for (int i = 0; i < size; i++) moments[f][k][i] = functions[f].Value(result.State, i * d) - phiRef[f][i];
            }
        }
        return new CoupledBlock(distances, moments, seconds, evaluations);
    }

    /// <summary>Per ladder point k: distances |X_N - X_ref| [k][pair]; per test function f: coupled differences [f][k][pair].</summary>
    private sealed record CoupledBlock(double[][] Distances, double[][][] Moments, double[] Seconds, int[] Evaluations);

    private static (double[][] Distances, double[][][] Moments) Collect(List<CoupledBlock> blocks, int points, int functions) =>
        (Enumerable.Range(0, points).Select(k => blocks.SelectMany(b => b.Distances[k]).ToArray()).ToArray(),
         Enumerable.Range(0, functions).Select(f => Enumerable.Range(0, points).Select(k => blocks.SelectMany(b => b.Moments[f][k]).ToArray()).ToArray()).ToArray());

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

    internal static (double Mean, double StandardError) MeanAndStandardError(IReadOnlyList<double> values)
    {
        int n = values.Count;
        double mean = values.Average();
        double variance = n > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (n - 1) : 0;
        return (mean, Math.Sqrt(variance / n));
    }
}
