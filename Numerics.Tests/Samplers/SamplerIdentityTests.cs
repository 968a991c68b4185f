using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>Exact identities between samplers built along different routes (CF.1, CF.3, C3.5).</summary>
public class SamplerIdentityTests
{
    [Fact]
    public void CF3_follmer_bridge_under_the_scaling_map_is_ddpm_beta_tilde_on_the_grid_s_equal_abar()
    {
        // X_s = alpha(t) x^VP_t with s = abar: run both on the same chain steps and the same noise, compare every state.
        var chain = DiscreteSchedule.Linear(1000);
        var vp = chain.Continuise();
        var follmer = Schedules.Follmer();
        var data = Fixtures.Mixture2D();
        var vpGrid = TimeGrids.Discrete(chain, TimestepSpacing.Leading, 50);
        var follmerGrid = TimeGrids.Follmer(chain, TimestepSpacing.Leading, 50, endAtZero: true);
        Assert.Equal(vpGrid.Count, follmerGrid.Count);
        double[] xVp = [0.4, -1.3];
        double alphaStart = vp.Alpha(vpGrid.Start);
        var vpStates = new List<double[]>();
        var follmerStates = new List<double[]>();
        new Ddpm(DdpmVariance.BetaTilde).Sample(Fixtures.Oracle(data, vp), xVp, vpGrid, new SeededNoise(7),
            (i, t, x) => vpStates.Add(x.ToArray().Select(v => v * vp.Alpha(t)).ToArray()));
        new FollmerBridge().Sample(Fixtures.Oracle(data, follmer), xVp.Select(v => alphaStart * v).ToArray(), follmerGrid, new SeededNoise(7),
            (i, t, x) => follmerStates.Add(x.ToArray()));
        for (int i = 0; i < vpStates.Count; i++)
            Assert.True(Fixtures.MaxAbsDifference(vpStates[i], follmerStates[i]) < 1e-10,
                $"step {i}: alpha x^VP = {string.Join(",", vpStates[i])}, Föllmer X = {string.Join(",", follmerStates[i])}");
    }

    [Fact]
    public void CF1_follmer_em_through_the_denoiser_equals_reverse_sde_em_through_the_score_on_the_follmer_schedule()
    {
        // b(x, s) = (E[Y|X_s = x] - x)/(1 - s) = x/s + grad log p_s(x): the reverse-SDE step of the Föllmer schedule (f = -1/s, g2 = 1).
        var follmer = Schedules.Follmer();
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), follmer);
        var grid = TimeGrids.UniformTime(follmer, 40, 0.99, 1e-2);
        double[] start = [0.01, -0.02];
        var viaDenoiser = new FollmerEulerMaruyama().Sample(model, start, grid, new SeededNoise(3)).State;
        var viaScore = new ReverseSdeEulerMaruyama().Sample(model, start, grid, new SeededNoise(3)).State;
        Assert.True(Fixtures.MaxAbsDifference(viaDenoiser, viaScore) < 1e-10, $"{string.Join(",", viaDenoiser)} vs {string.Join(",", viaScore)}");
    }

    [Theory]
    [InlineData(0.0, "pf-ode-euler")]
    [InlineData(1.0, "reverse-sde-em")]
    public void C3_5_generalised_family_ends_are_the_pf_ode_and_the_reverse_sde(double noiseShare, string end)
    {
        var vp = Schedules.VpLinear();
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), vp);
        var grid = TimeGrids.UniformTime(vp, 30, 1.0, 1e-3);
        double[] start = [0.4, -1.3];
        var family = new GeneralisedReverse(noiseShare).Sample(model, start, grid, new SeededNoise(5)).State;
        var direct = SamplerRegistry.ByName(end).Sample(model, start, grid, new SeededNoise(5)).State;
        Assert.True(Fixtures.MaxAbsDifference(family, direct) < 1e-12, $"c = {noiseShare}: {string.Join(",", family)} vs {end} {string.Join(",", direct)}");
    }

    [Fact]
    public void Predictor_corrector_with_fixed_steps_stays_close_to_the_exact_law_and_the_corrector_changes_it()
    {
        var vp = Schedules.VpLinear();
        var model = Fixtures.Oracle(Fixtures.Gaussian2D(), vp);
        var grid = TimeGrids.UniformTime(vp, 128, 1.0, 1e-2);
        var target = OutputLaw.Target(model, 1e-2);
        double pc = OutputLaw.Compute(new PredictorCorrector(stepSize: LangevinStepSize.Fixed), model, grid).KullbackLeibler(target);
        double em = OutputLaw.Compute(new ReverseSdeEulerMaruyama(), model, grid).KullbackLeibler(target);
        Assert.True(pc < 1e-3 && Math.Abs(pc - em) > 1e-3 * em, $"PC KL {pc:E3}, EM KL {em:E3}");
    }
}
