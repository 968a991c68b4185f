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

    [Theory]
    [InlineData(LangevinStepSize.NormRatio, 2, false)]
    [InlineData(LangevinStepSize.Fixed, 1, false)]
    [InlineData(LangevinStepSize.NormRatio, 1, true)]
    public void Predictor_corrector_steps_are_Song_et_al_algorithm_2_written_out_from_the_vp_linear_beta(LangevinStepSize rule, int m, bool shrink)
    {
        // Song et al. (2021) Alg. 2 on VP-linear, from beta(u) = 0.1 + 19.9 u in closed form (not through the schedule's
        // alpha, sigma or drift): predictor x += h (beta/2 x + beta s(x, t)) + sqrt(beta h) z; corrector at s, m times,
        // g = s(x, s), eps = 2 a (snr |z|/|g|)^2 (Fixed: |z|/|g| -> sigma_s; shrink: times lambda_s - lambda_t), with
        // a = 1 - beta_i = exp(-int_s^t beta) and x += eps g + sqrt(2 eps) z. Irregular steps, replayed noise.
        const double snr = 0.16, betaMin = 0.1, betaMax = 20;
        double Beta(double u) => betaMin + (betaMax - betaMin) * u;
        double BigB(double u) => betaMin * u + 0.5 * (betaMax - betaMin) * u * u;
        double SigmaOf(double u) => Math.Sqrt(1 - Math.Exp(-BigB(u)));
        double LambdaOf(double u) => Math.Log(Math.Exp(-0.5 * BigB(u)) / SigmaOf(u));
        var vp = Schedules.VpLinear();
        var oracle = new MixtureOracle(Fixtures.Mixture2D(), vp);
        var grid = new TimeGrid([1.0, 0.83, 0.61, 0.6099, 0.37, 0.12, 0.05]);
        var rng = new Xoshiro256(11);
        var draws = Enumerable.Range(0, (grid.Count - 1) * (1 + m)).Select(_ => new[] { rng.NextGaussian(), rng.NextGaussian() }).ToList();
        double[] start = [0.4, -1.3];
        var states = new List<double[]>();
        new PredictorCorrector(snr, m, rule, shrink).Sample(Fixtures.Oracle(Fixtures.Mixture2D(), vp), start, grid, new ReplayNoise(draws),
            (i, t, x) => states.Add(x.ToArray()));
        var y = (double[])start.Clone();
        int next = 0;
        for (int i = 0; i + 1 < grid.Count; i++)
        {
            double t = grid[i], s = grid[i + 1], h = t - s, beta = Beta(t);
            var score = oracle.Score(y, t);
            var z = draws[next++];
            for (int j = 0; j < 2; j++) y[j] += h * (0.5 * beta * y[j] + beta * score[j]) + Math.Sqrt(beta * h) * z[j];
            double a = Math.Exp(-(BigB(t) - BigB(s)));
            for (int k = 0; k < m; k++)
            {
                var g = oracle.Score(y, s);
                z = draws[next++];
                double ratio = rule == LangevinStepSize.Fixed ? SigmaOf(s) : Math.Sqrt(z.Sum(v => v * v)) / Math.Sqrt(g.Sum(v => v * v));
                double eps = 2 * a * Math.Pow(snr * ratio, 2) * (shrink ? LambdaOf(s) - LambdaOf(t) : 1);
                for (int j = 0; j < 2; j++) y[j] += eps * g[j] + Math.Sqrt(2 * eps) * z[j];
            }
            var state = states[i];
            Assert.True(Fixtures.MaxAbsDifference(y, state) < 1e-9 * (1 + y.Max(Math.Abs)),
                $"{rule}, m = {m}, shrink = {shrink}, step {i} ({t} -> {s}): Song et al. {string.Join(",", y)}, PredictorCorrector {string.Join(",", state)}");
        }
    }
}
