using Verified.Testing;
using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>The batched sampler contract: a batch of n points advances as n independent single-point runs, noise is
/// one Fill of n d per draw, and bad batch lengths are rejected with a message naming the length.</summary>
public class BatchedContractTests
{
    private const int Points = 11; // not a multiple of the SIMD width: the oracle's scalar tail runs too

    public static TheoryData<string> AllSamplers => [.. SamplerRegistry.All().Select(s => s.Info.Name)];

    private static (OracleModel Model, TimeGrid Grid, double[][] Starts) Setup(Sampler sampler, int steps)
    {
        var (schedule, tStart, tEnd) = SamplerSetups.For(sampler);
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), schedule);
        var grid = TimeGrids.UniformTime(schedule, steps, tStart, tEnd);
        var rng = new Xoshiro256(21);
        var starts = Enumerable.Range(0, Points).Select(_ => { var x = new double[2]; rng.FillGaussian(x); return x; }).ToArray();
        return (model, grid, starts);
    }

    /// <summary>Each point of a batch run equals the same point run alone when the batch's noise is the singles' draws
    /// laid side by side (deterministic samplers: no noise at all). Agreement is to round-off (bound 1e-12 relative): the
    /// oracle gives a point the same bits in any batch (Oracle/PositionIndependenceTests), but a sampler's own batch
    /// arithmetic is not promised to be bitwise that of a single run.</summary>
    [Theory]
    [MemberData(nameof(AllSamplers))]
    public void A_batch_gives_each_point_its_single_run(string name)
    {
        var sampler = SamplerRegistry.ByName(name);
        var (model, grid, starts) = Setup(sampler, 12);
        var singles = new double[Points][];
        var draws = new List<double[]>[Points];
        int evaluations = -1;
        for (int p = 0; p < Points; p++)
        {
            var recording = new RecordingNoise(new SeededNoise(100 + (ulong)p));
            var result = sampler.Sample(model, starts[p], grid, recording);
            singles[p] = result.State;
            draws[p] = recording.Draws.ToList();
            if (sampler.Info.EvaluationsPerStep is not null)
            {
                if (evaluations >= 0) Assert.Equal(evaluations, result.Evaluations);
                evaluations = result.Evaluations;
            }
        }
        // The batch draws once per single-run draw, each of length n d: draw k of the batch is draw k of every point.
        var batchDraws = Enumerable.Range(0, draws[0].Count)
            .Select(k => Enumerable.Range(0, Points).SelectMany(p => draws[p][k]).ToArray()).ToList();
        var replay = new ReplayNoise(batchDraws);
        var batch = sampler.Sample(model, starts.SelectMany(x => x).ToArray(), grid, replay);
        Assert.Equal(batchDraws.Count, replay.Consumed);
        Assert.Equal(Points * 2, batch.State.Length);
        if (evaluations >= 0) Assert.Equal(evaluations, batch.Evaluations); // NFE counts batched calls: per point, not n times
        for (int p = 0; p < Points; p++)
            for (int j = 0; j < 2; j++)
            {
                double expected = singles[p][j], actual = batch.State[p * 2 + j];
                Assert.True(Math.Abs(actual - expected) <= 1e-12 * (1 + Math.Abs(expected)),
                    $"{name}: point {p} coordinate {j}: batch {actual:R} vs single {expected:R}");
            }
    }

    [Theory]
    [InlineData("reverse-sde-em")]
    [InlineData("pc(snr=0.16,m=1,shrink)")]
    [InlineData("pf-ode-euler")]
    public void A_batch_draws_as_often_as_a_single_run_and_each_draw_covers_the_batch(string name)
    {
        var sampler = SamplerRegistry.ByName(name);
        var (model, grid, starts) = Setup(sampler, 7);
        var single = new RecordingNoise(new SeededNoise(1));
        sampler.Sample(model, starts[0], grid, single);
        var batch = new RecordingNoise(new SeededNoise(1));
        sampler.Sample(model, starts.SelectMany(x => x).ToArray(), grid, batch);
        Assert.Equal(single.Draws.Count, batch.Draws.Count);
        Assert.All(batch.Draws, z => Assert.Equal(Points * 2, z.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    public void A_start_whose_length_is_not_a_positive_multiple_of_d_is_rejected(int length)
    {
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), Schedules.VpLinear());
        var grid = TimeGrids.UniformTime(model.Schedule, 4, 1.0, 1e-2);
        var e = Assert.Throws<ArgumentException>(() => new PfOdeEuler().Sample(model, new double[length], grid, ZeroNoise.Instance));
        Assert.Equal("start", e.ParamName);
        Assert.Contains($"got length {length}", e.Message);
        Assert.Contains("multiple of 2", e.Message);
    }

    [Fact]
    public void A_non_finite_start_names_the_point_and_coordinate()
    {
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), Schedules.VpLinear());
        var grid = TimeGrids.UniformTime(model.Schedule, 4, 1.0, 1e-2);
        var start = new double[6];
        start[3] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => new PfOdeEuler().Sample(model, start, grid, ZeroNoise.Instance));
        Assert.Contains("point 1, coordinate 1", e.Message);
    }

    [Fact]
    public void A_model_given_a_ragged_batch_rejects_it()
    {
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), Schedules.VpLinear());
        var e = Assert.Throws<ArgumentException>(() => model.Predict(new double[5], 0.5, new double[5]));
        Assert.Contains("got length 5", e.Message);
    }

    [Fact]
    public void A_brownian_path_of_the_wrong_dimension_is_rejected_by_the_reference()
    {
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), Schedules.VpLinear());
        var fine = TimeGrids.UniformTime(model.Schedule, 8, 1.0, 1e-2);
        var path = new BrownianPath(fine, 2, 5); // one point's path for a batch of three
        var e = Assert.Throws<ArgumentException>(() => References.OnPath(new ReverseSdeEulerMaruyama(), model, new double[6], path));
        Assert.Equal("path", e.ParamName);
    }

    /// <summary>The batch's Brownian path is n independent d-dimensional paths: each point's coarse-grid increment is the
    /// sum of its own fine increments (exactly), and the increments of different points are uncorrelated with unit
    /// variance after scaling by 1/sqrt(h) (Fisher z of the correlation and the chi-square of the variance under the
    /// harness's alpha).</summary>
    [Fact]
    public void A_batch_brownian_path_holds_independent_paths_per_point()
    {
        var schedule = Schedules.VpLinear();
        var fine = TimeGrids.UniformTime(schedule, 16, 1.0, 1e-2);
        int n = 4000, d = 2;
        StatisticalCheck.Run("batch Brownian path: points' increments uncorrelated with unit variance", seed =>
        {
            var path = new BrownianPath(fine, n * d, seed);
            var coarse = path.Coarsen(4);
            var z = new double[n * d];
            path.AsNoise().Fill(coarse[0], coarse[1], z);
            double h = coarse[0] - coarse[1];
            var w = path.Increment(coarse[0], coarse[1]);
            for (int j = 0; j < z.Length; j++) Assert.True(Math.Abs(w[j] / Math.Sqrt(h) - z[j]) <= 1e-14 * (1 + Math.Abs(z[j])), $"coordinate {j}");
            // coordinate 0 of point i against coordinate 0 of point i + 1
            double sxy = 0, sxx = 0, syy = 0;
            int pairs = 0;
            for (int i = 0; i + 1 < n; i += 2)
            {
                double a = z[i * d], b = z[(i + 1) * d];
                sxy += a * b; sxx += a * a; syy += b * b; pairs++;
            }
            double correlation = sxy / Math.Sqrt(sxx * syy);
            double pCorrelation = StatisticalCheck.NormalTwoSided(Math.Atanh(correlation) * Math.Sqrt(pairs - 3));
            double upper = StatisticalCheck.ChiSquareUpper(pairs, sxx); // sum of squares of N(0, 1) ~ chi2(pairs), mean known
            double pVariance = Math.Min(1, 2 * Math.Min(upper, 1 - upper));
            return new StatisticalOutcome(StatisticalCheck.Bonferroni([pCorrelation, pVariance]),
                $"correlation {correlation}, variance {sxx / pairs} over {pairs} pairs");
        });
    }
}
