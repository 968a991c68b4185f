using Verified.Numerics;
using Verified.Reports.Experiments;

namespace Verified.Reports.Tests.Experiments;

/// <summary>The mixture tier's batched path and its choice of the Monte Carlo sample count.</summary>
public class MixtureTierTests
{
    private const double Z975 = 1.959963984540054;

    private static readonly Preset Small = new("test", [4, 8], [4, 8, 16], 4, 6, 200, ["ring-2d"], false, 3000, 0.25);

    /// <summary>Samples with exactly known mean and standard deviation: mean +- spread, alternating.</summary>
    private static double[] Alternating(int n, double mean, double spread) =>
        Enumerable.Range(0, n).Select(i => mean + (i % 2 == 0 ? spread : -spread)).ToArray();

    private static double HalfWidth(double sd, int m) => Z975 * sd / Math.Sqrt(m);

    [Fact]
    public void The_chosen_sample_count_is_the_smallest_whose_weak_half_width_meets_the_target()
    {
        int pilot = 200;
        double mean = 0.01, spread = 0.05;
        var moment = Alternating(pilot, mean, spread);
        double sd = spread * Math.Sqrt(pilot / (pilot - 1.0)); // sample standard deviation of the alternating values
        var info = new ReverseSdeEulerMaruyama().Info with { StrongOrder = null }; // weak only
        var squared = Enumerable.Repeat(1.0, pilot).ToArray();
        int m = MixtureTier.ChooseSamples(info, ([squared], [moment]), Small);
        // Independent route: the 95% half-width 1.96 sd / sqrt(M) falls to 0.25 |mean| first at M.
        Assert.True(HalfWidth(sd, m) <= 0.25 * mean, $"M = {m}: half-width {HalfWidth(sd, m)} above the target {0.25 * mean}");
        Assert.True(HalfWidth(sd, m - 1) > 0.25 * mean, $"M - 1 = {m - 1} already meets the target");
    }

    [Fact]
    public void The_chosen_sample_count_stays_within_the_pilot_and_the_cap()
    {
        int pilot = 200;
        var info = new ReverseSdeEulerMaruyama().Info;
        var ones = Enumerable.Repeat(1.0, pilot).ToArray();
        // Resolved already (no variance): the pilot suffices.
        Assert.Equal(pilot, MixtureTier.ChooseSamples(info, ([ones], [ones]), Small));
        // A weak error indistinguishable from 0: no finite M resolves it, so the cap.
        Assert.Equal(Small.MaxMonteCarloSamples, MixtureTier.ChooseSamples(info, ([ones], [Alternating(pilot, 0, 1)]), Small));
    }

    [Fact]
    public void The_batched_strong_ode_ladder_equals_single_point_runs_to_round_off()
    {
        // Independent route: each start run alone through the sampler and the reference, RMS by hand.
        var problem = Problems.Find("ring-2d")!;
        var sc = ScheduleCases.Find("vp-linear")!;
        var sampler = new Heun();
        var series = MixtureTier.Measure(sampler, problem, sc, Small).Single();
        var model = new OracleModel(problem.Data, sc.Schedule);
        var starts = MarginalDraws.DrawMany(problem.Data, sc.Schedule, sc.TStart, Small.StrongStarts, Preset.Seed);
        for (int k = 0; k < Small.MixtureLadder.Length; k++)
        {
            double sum = 0;
            foreach (var x in starts)
            {
                var y = sampler.Sample(model, x, sc.Grid(Small.MixtureLadder[k]), ZeroNoise.Instance).State;
                var reference = References.PfOde(model, x, sc.TStart, sc.TMin);
                sum += y.Zip(reference, (a, b) => (a - b) * (a - b)).Sum();
            }
            double expected = Math.Sqrt(sum / starts.Length);
            Assert.True(Math.Abs(series.Points[k].Error - expected) <= 1e-10 * expected, $"N = {Small.MixtureLadder[k]}: {series.Points[k].Error:R} vs {expected:R}");
        }
    }

    [Fact]
    public void Coupled_ladders_keep_the_pilot_samples_for_the_gate_and_resolve_more_when_asked()
    {
        var problem = Problems.Find("ring-2d")!;
        var sc = ScheduleCases.Find("vp-linear")!;
        var stats = new MixtureStatistics();
        var measured = MixtureTier.Measure(new ReverseSdeEulerMaruyama(), problem, sc, Small, stats).ToList();
        Assert.Equal(2, measured.Count);
        Assert.All(measured.SelectMany(m => m.Points), p => Assert.Equal(Small.MonteCarloSamples, p.Samples!.Length));
        Assert.True(stats.PointStepsPerSecond > 0);
        Assert.Contains("point-steps/s", stats.Note(Small));
    }
}
