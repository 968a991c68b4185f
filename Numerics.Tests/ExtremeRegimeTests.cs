using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>Extreme regimes stay finite or are rejected with a clear error: t near both ends of the domain, points
/// far from every mode, large d and K, near-singular covariances.</summary>
public class ExtremeRegimeTests
{
    private static readonly Schedule[] AllSchedules =
        [Schedules.VpLinear(), Schedules.VpCosine(), Schedules.SubVp(), Schedules.Ve(), Schedules.Edm(), Schedules.LinearInterpolant(), Schedules.Follmer()];

    private static void AssertFinite(double[] v, string what) =>
        Assert.True(v.All(double.IsFinite), $"{what} is not finite: {string.Join(", ", v.Take(4))}");

    [Fact]
    public void Times_within_1e_9_of_both_ends_give_finite_scores_and_samplers_finish()
    {
        var data = new GaussianMixture([0.5, 0.5], [[1.0, 0.0], [-1.0, 0.5]],
            [new[,] { { 0.2, 0.0 }, { 0.0, 0.2 } }, new double[2, 2]]); // includes a point mass
        foreach (var schedule in AllSchedules)
        {
            double span = schedule.TMax - schedule.TMin;
            double tLow = schedule.TMin + 1e-9 * span, tHigh = schedule.TMax - 1e-9 * span;
            var oracle = new MixtureOracle(data, schedule);
            AssertFinite(oracle.Score([0.3, 0.1], tLow), $"{schedule.Name} score at t = {tLow}");
            AssertFinite(oracle.Score([0.3, 0.1], tHigh), $"{schedule.Name} score at t = {tHigh}");
            var grid = TimeGrids.UniformTime(schedule, 40, tHigh, schedule.TMin + 1e-6 * span);
            var start = MarginalDraws.Draw(data, schedule, grid.Start, new Xoshiro256(1));
            foreach (var sampler in new Sampler[] { new Ddim(0.0), new DpmSolver1(), new Heun() })
                AssertFinite(sampler.Sample(new OracleModel(oracle), start, grid, ZeroNoise.Instance).State, $"{sampler} on {schedule.Name}");
        }
    }

    [Fact]
    public void Points_a_million_units_from_every_mode_give_finite_scores()
    {
        var data = GaussianMixture.Ring(8, 2.0, 0.1);
        foreach (var schedule in AllSchedules)
        {
            double t = 0.5 * (schedule.TMin + schedule.TMax);
            var oracle = new MixtureOracle(data, schedule);
            AssertFinite(oracle.Score([1e6, -1e6], t), $"{schedule.Name} far score");
            Assert.True(double.IsFinite(oracle.LogDensity([1e6, -1e6], t)), $"{schedule.Name} far log-density");
            var batched = new BatchedOracle(data, schedule);
            double[][] x = [[1e6, -1e6, 3.0, 0.0], [-1e6, 1e6, 0.0, 1e6]];
            double[][] s = [new double[4], new double[4]];
            batched.Score(t, x, s, 0, 4, new BatchedOracle.Workspace(batched, 4));
            AssertFinite(s[0].Concat(s[1]).ToArray(), $"{schedule.Name} batched far score");
        }
    }

    [Fact]
    public void Dimension_1024_with_256_components_gives_a_finite_score_equal_to_the_batched_path()
    {
        const int d = 1024, k = 256;
        var rng = new Xoshiro256(2);
        var means = Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, d).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
        var data = GaussianMixture.Isotropic(Enumerable.Repeat(1.0 / k, k).ToArray(), means, Enumerable.Range(0, k).Select(c => c % 3 == 0 ? 0.0 : 0.05).ToArray());
        var schedule = Schedules.VpLinear();
        var x = Enumerable.Range(0, d).Select(_ => 3 * rng.NextGaussian()).ToArray();
        foreach (double t in new[] { 1e-6, 0.5, 1.0 })
        {
            var score = new MixtureOracle(data, schedule).Score(x, t);
            AssertFinite(score, $"d=1024 K=256 score at t={t}");
            var batched = new BatchedOracle(data, schedule);
            var columns = x.Select(v => new[] { v }).ToArray();
            var scratch = x.Select(_ => new double[1]).ToArray();
            batched.AffineScoreStep(t, 0.0, 1.0, columns, scratch, 0, 1, new BatchedOracle.Workspace(batched, 1)); // x <- score
            double scale = 1 + score.Max(Math.Abs);
            Assert.True(columns.Select((c, j) => Math.Abs(c[0] - score[j])).Max() < 1e-9 * scale, $"batched vs scalar at t={t}");
        }
    }

    [Fact]
    public void Near_singular_covariances_give_finite_scores_and_exactly_singular_ones_at_sigma_zero_are_rejected()
    {
        var nearlySingular = new[,] { { 1.0, 1.0 - 1e-12 }, { 1.0 - 1e-12, 1.0 } };
        var data = GaussianMixture.Gaussian([0.0, 0.0], nearlySingular);
        var oracle = new MixtureOracle(data, Schedules.VpLinear());
        foreach (double t in new[] { 1e-8, 1e-4, 0.5 })
            AssertFinite(oracle.Score([0.5, -0.5], t), $"near-singular score at t={t}");
        AssertFinite(oracle.Score([0.5, -0.5], 0.0), "near-singular but non-singular covariance at t = 0");
        var singular = new MixtureOracle(GaussianMixture.Gaussian([0.0, 0.0], new[,] { { 1.0, 1.0 }, { 1.0, 1.0 } }), Schedules.VpLinear());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => singular.Score([0.5, -0.5], 0.0));
        Assert.Equal("t", ex.ParamName);
        Assert.Contains("singular", ex.Message);
    }
}
