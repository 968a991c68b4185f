using Verified.Theory;

namespace Verified.Numerics.Tests;

public class ExactIdentityTests
{
    [Theory]
    [InlineData("vp-linear")]
    [InlineData("vp-cosine")]
    [InlineData("edm")]
    [InlineData("linear-interpolant")]
    public void C7_10_ddim_eta0_equals_dpm_solver_1_to_round_off(string scheduleName)
    {
        Schedule schedule = scheduleName switch
        {
            "vp-linear" => Schedules.VpLinear(),
            "vp-cosine" => Schedules.VpCosine(),
            "edm" => Schedules.Edm(),
            _ => Schedules.LinearInterpolant(),
        };
        double tStart = schedule.TMaxIncluded ? schedule.TMax : schedule.TMax - 1e-3, tEnd = 1e-3 * schedule.TMax;
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), schedule);
        var grid = TimeGrids.UniformLambda(schedule, 25, tStart, tEnd);
        double[] start = [0.4, -1.3];
        var ddim = new Ddim(0.0).Sample(model, start, grid, ZeroNoise.Instance).State;
        var dpm = new DpmSolver1().Sample(model, start, grid, ZeroNoise.Instance).State;
        Assert.True(Fixtures.MaxAbsDifference(ddim, dpm) < 1e-12 * (1 + start.Max(Math.Abs)),
            $"DDIM(0) {string.Join(",", ddim)} vs DPM-Solver-1 {string.Join(",", dpm)}");
    }

    [Fact]
    public void Brownian_path_coarse_increments_are_exact_sums_of_fine_ones()
    {
        var schedule = Schedules.VpLinear();
        var path = new BrownianPath(TimeGrids.UniformTime(schedule, 64, 1.0, 1e-3), 3, seed: 9);
        var coarse = path.Coarsen(8);
        for (int i = 0; i < coarse.Steps; i++)
        {
            var direct = path.Increment(coarse[i], coarse[i + 1]);
            var halves = path.Increment(coarse[i], path.Fine[i * 8 + 4]).Zip(path.Increment(path.Fine[i * 8 + 4], coarse[i + 1]), (a, b) => a + b).ToArray();
            Assert.True(Fixtures.MaxAbsDifference(direct, halves) < 1e-14, "coarse increment = sum of its two halves");
        }
    }

    [Fact]
    public void Replay_noise_reproduces_a_recorded_run()
    {
        var schedule = Schedules.VpLinear();
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), schedule);
        var grid = TimeGrids.UniformTime(schedule, 30, 1.0, 1e-3);
        var recorder = new RecordingNoise(new SeededNoise(5));
        var first = new ReverseSdeEulerMaruyama().Sample(model, [0.0, 0.0], grid, recorder).State;
        var replay = new ReverseSdeEulerMaruyama().Sample(model, [0.0, 0.0], grid, new ReplayNoise(recorder.Draws)).State;
        Assert.True(first.SequenceEqual(replay));
    }

    [Theory]
    [InlineData("vp-linear")]
    [InlineData("vp-cosine")]
    [InlineData("discrete")]
    public void C7_11_ddim_eta1_equals_ddpm_beta_tilde_on_the_same_noise(string scheduleName)
    {
        var chain = DiscreteSchedule.Linear(1000);
        var (schedule, grid) = scheduleName switch
        {
            "vp-linear" => (Schedules.VpLinear(), TimeGrids.UniformTime(Schedules.VpLinear(), 40, 1.0, 0.0)),
            "vp-cosine" => (Schedules.VpCosine(), TimeGrids.UniformTime(Schedules.VpCosine(), 40, 0.99, 0.0)),
            _ => (chain.Continuise(), TimeGrids.Discrete(chain, TimestepSpacing.Leading, 50)),
        };
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), schedule);
        double[] start = [0.4, -1.3];
        var ddim = new Ddim(1.0).Sample(model, start, grid, new SeededNoise(17)).State;
        var ddpm = new Ddpm(DdpmVariance.BetaTilde).Sample(model, start, grid, new SeededNoise(17)).State;
        Assert.True(Fixtures.MaxAbsDifference(ddim, ddpm) < 1e-11,
            $"DDIM(1) {string.Join(",", ddim)} vs DDPM(beta~) {string.Join(",", ddpm)}");
    }

    [Fact]
    public void Ddpm_beta_and_beta_tilde_differ_only_in_the_noise_scale()
    {
        // With no noise both variants are the same mean map; with noise they must differ (the variance choice is used).
        var schedule = Schedules.VpLinear();
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), schedule);
        var grid = TimeGrids.UniformTime(schedule, 20, 1.0, 1e-3);
        double[] start = [0.4, -1.3];
        var meanBeta = new Ddpm(DdpmVariance.Beta).Sample(model, start, grid, ZeroNoise.Instance).State;
        var meanTilde = new Ddpm(DdpmVariance.BetaTilde).Sample(model, start, grid, ZeroNoise.Instance).State;
        Assert.True(meanBeta.SequenceEqual(meanTilde));
        var beta = new Ddpm(DdpmVariance.Beta).Sample(model, start, grid, new SeededNoise(3)).State;
        var tilde = new Ddpm(DdpmVariance.BetaTilde).Sample(model, start, grid, new SeededNoise(3)).State;
        Assert.True(Fixtures.MaxAbsDifference(beta, tilde) > 1e-3);
    }
}
