using Verified.Testing;
using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>The exact output-law engine against Monte Carlo runs of the same sampler, against a hand-propagated
/// mean/variance recursion, and its KL against the exact target as steps grow.</summary>
public class OutputLawTests
{
    private static readonly Schedule Vp = Schedules.VpLinear();
    private static readonly OracleModel Gaussian = Fixtures.Oracle(Fixtures.Gaussian2D(), Vp);

    // Monte Carlo: one check per sampler at the harness's alpha (2 means + 3 covariance entries, Bonferroni inside).
    private const int MonteCarloSamples = 8000;

    [Theory]
    [InlineData("reverse-sde-em")]
    [InlineData("ddpm(beta)")]
    [InlineData("ddim(eta=0.5)")]
    [InlineData("dpm-solver-2")]
    public void Exact_law_agrees_with_a_Monte_Carlo_run_of_the_same_sampler(string name)
    {
        var sampler = SamplerRegistry.ByName(name);
        var grid = TimeGrids.UniformTime(Vp, 12, 1.0, 1e-2);
        var law = OutputLaw.Compute(sampler, Gaussian, grid);
        StatisticalCheck.Run($"OutputLaw of {name} = Monte Carlo means and covariance", seed =>
        {
            var outputs = new double[MonteCarloSamples][];
            Parallel.For(0, MonteCarloSamples, i =>
            {
                var start = MarginalDraws.Draw(Gaussian.Oracle.Mixture, Vp, grid.Start, new Xoshiro256(Xoshiro256.Derive(seed, (ulong)(2 * i))));
                outputs[i] = sampler.Sample(Gaussian, start, grid, new SeededNoise(Xoshiro256.Derive(seed, (ulong)(2 * i + 1)))).State;
            });
            var p = law.Covariance;
            var zs = new List<(string What, double Z)>();
            for (int a = 0; a < 2; a++)
            {
                double mean = outputs.Average(o => o[a]);
                zs.Add(($"mean[{a}] MC {mean} vs exact {law.Mean[a]}", (mean - law.Mean[a]) / Math.Sqrt(p[a, a] / MonteCarloSamples)));
            }
            for (int a = 0; a < 2; a++)
                for (int b = a; b < 2; b++)
                {
                    // Sample covariance around the exact mean; its variance is (P_ab^2 + P_aa P_bb) / M for Gaussian outputs.
                    double cov = outputs.Average(o => (o[a] - law.Mean[a]) * (o[b] - law.Mean[b]));
                    zs.Add(($"cov[{a},{b}] MC {cov} vs exact {p[a, b]}", (cov - p[a, b]) / Math.Sqrt((p[a, b] * p[a, b] + p[a, a] * p[b, b]) / MonteCarloSamples)));
                }
            var worst = zs.MaxBy(z => Math.Abs(z.Z));
            return new StatisticalOutcome(StatisticalCheck.Bonferroni(zs.Select(z => StatisticalCheck.NormalTwoSided(z.Z)).ToList()),
                $"{worst.What} (z = {worst.Z:F2})");
        });
    }

    [Fact]
    public void Exact_law_of_reverse_sde_em_matches_the_hand_propagated_recursion_in_one_dimension()
    {
        // x' = x - h (f x - g2 s(x)) + g sqrt(h) z with s(x) = -(x - alpha mu)/(alpha^2 v0 + sigma^2): m and v propagate
        // as m' = a m + b, v' = a^2 v + g2 h, with a = 1 - h (f + g2 / c) and b = h g2 alpha mu / c.
        const double mu = 0.7, v0 = 0.3;
        var model = Fixtures.Oracle(GaussianMixture.Gaussian([mu], new[,] { { v0 } }), Vp);
        var grid = TimeGrids.UniformTime(Vp, 50, 1.0, 1e-3);
        var law = OutputLaw.Compute(new ReverseSdeEulerMaruyama(), model, grid);
        double alphaT = Vp.Alpha(1.0), sigmaT = Vp.Sigma(1.0);
        double m = alphaT * mu, v = alphaT * alphaT * v0 + sigmaT * sigmaT;
        for (int i = 0; i < grid.Steps; i++)
        {
            double t = grid[i], h = t - grid[i + 1];
            double alpha = Vp.Alpha(t), sigma = Vp.Sigma(t), f = Vp.Drift(t), g2 = Vp.G2(t);
            double c = alpha * alpha * v0 + sigma * sigma;
            double a = 1 - h * (f + g2 / c);
            m = a * m + h * g2 * alpha * mu / c;
            v = a * a * v + g2 * h;
        }
        Assert.Equal(m, law.Mean[0], 1e-12);
        Assert.Equal(v, law.Covariance[0, 0], 1e-12);
    }

    public static TheoryData<string> SamplersForVp()
    {
        var data = new TheoryData<string>();
        foreach (var s in SamplerRegistry.All())
            if (s.Info.IsAffine) data.Add(s.Info.Name);
        return data;
    }

    // KL must fall by this factor from N = 16 to N = 256 and end below the bound (every sampler is at least weak order 1).
    private const double MinimumImprovement = 30, FineGridKlBound = 2e-3;

    [Theory]
    [MemberData(nameof(SamplersForVp))]
    public void Output_law_converges_to_the_exact_law_as_steps_grow(string name)
    {
        var sampler = SamplerRegistry.ByName(name);
        var (schedule, tStart, tEnd) = SamplerSetups.For(sampler);
        var model = Fixtures.Oracle(Fixtures.Gaussian2D(), schedule);
        var target = OutputLaw.Target(model, tEnd);
        var kl = new[] { 16, 32, 64, 128, 256 }.Select(n => OutputLaw.Compute(sampler, model, TimeGrids.UniformTime(schedule, n, tStart, tEnd)).KullbackLeibler(target)).ToArray();
        string all = string.Join(", ", kl.Select(k => k.ToString("E2")));
        for (int k = 1; k < kl.Length; k++) Assert.True(kl[k] < kl[k - 1], $"{name}: KL not decreasing: {all}");
        Assert.True(kl[^1] < FineGridKlBound && kl[0] / kl[^1] > MinimumImprovement, $"{name}: KL {all}");
        // sqrt(KL) is first order in the law's error, so its halving rate is the weak order.
        if (sampler.Info.WeakOrder is null) return;
        double observed = 0.5 * Math.Log2(kl[^2] / kl[^1]);
        Assert.True(observed > sampler.Info.WeakOrder!.Value - 0.3, $"{name}: observed weak order {observed:F2}, declared {sampler.Info.WeakOrder}; KL {all}");
    }

    [Fact]
    public void Samplers_declared_not_affine_are_rejected_by_the_engine()
    {
        // One interval: RK45's own steps inside it depend on the state (on short intervals they can all be the same).
        var grid = new TimeGrid([1.0, 1e-2]);
        var notAffine = SamplerRegistry.All().Where(s => !s.Info.IsAffine).ToList();
        Assert.NotEmpty(notAffine);
        foreach (var sampler in notAffine)
        {
            var ex = Assert.Throws<ArgumentException>(() => OutputLaw.Compute(sampler, Gaussian, grid));
            Assert.Contains("affine", ex.Message);
        }
    }

    [Fact]
    public void Result_does_not_depend_on_the_thread_count()
    {
        var grid = TimeGrids.UniformTime(Vp, 40, 1.0, 1e-2);
        var sampler = new Ddpm(DdpmVariance.Beta);
        var parallel = OutputLaw.Compute(sampler, Gaussian, grid);
        var single = Fixtures.SingleThreaded(() => OutputLaw.Compute(sampler, Gaussian, grid));
        Assert.True(parallel.Mean.SequenceEqual(single.Mean));
        Assert.True(parallel.Covariance.Cast<double>().SequenceEqual(single.Covariance.Cast<double>()));
    }

    [Fact]
    public void Non_gaussian_data_is_rejected_as_not_affine()
    {
        var mixture = Fixtures.Oracle(Fixtures.Mixture2D(), Vp);
        var grid = TimeGrids.UniformTime(Vp, 10, 1.0, 1e-2);
        var start = new GaussianLaw([0, 0], Fixtures.Eye(2));
        var ex = Assert.Throws<ArgumentException>(() => OutputLaw.Compute(new Heun(), mixture, grid, start));
        Assert.Contains("not affine", ex.Message);
        Assert.Equal("gaussianModel", Assert.Throws<ArgumentException>(() => OutputLaw.Target(mixture, 0.5)).ParamName);
    }

    [Fact]
    public void Start_law_of_the_wrong_dimension_is_rejected()
    {
        var grid = TimeGrids.UniformTime(Vp, 10, 1.0, 1e-2);
        var ex = Assert.Throws<ArgumentException>(() => OutputLaw.Compute(new Heun(), Gaussian, grid, new GaussianLaw([0], new[,] { { 1.0 } })));
        Assert.Equal("startLaw", ex.ParamName);
    }

    /// <summary>An affine sampler that is NOT coordinate-wise: it rotates coordinates (0, 1) of whatever state it gets
    /// and adds 0.1 z. Block-diagonal probing breaks it, so the engine must fall back to one probe per run.</summary>
    private sealed class RotatingSampler : Sampler
    {
        public const double Angle = 0.3, NoiseScale = 0.1;
        public override SamplerInfo Info { get; } = new("test-rotation", "test", true, null, 1, 0);

        protected override void Step(SamplingRun run, int i, double[] x)
        {
            double c = Math.Cos(Angle), s = Math.Sin(Angle);
            (x[0], x[1]) = (c * x[0] - s * x[1], s * x[0] + c * x[1]);
            var z = run.State(static length => new double[length]);
            run.Noise.Fill(run.Grid[i], run.Grid[i + 1], z);
            StepMath.AddScaled(x, NoiseScale, z);
        }
    }

    [Fact]
    public void Samplers_that_mix_coordinates_still_get_their_exact_law()
    {
        // After N steps: mean R^N m0, covariance R^N P0 (R^N)^T + N 0.01 I (R orthogonal).
        const int steps = 7;
        var grid = TimeGrids.UniformTime(Vp, steps, 1.0, 1e-2);
        var start = new GaussianLaw([1.0, 0.5], new[,] { { 0.5, 0.1 }, { 0.1, 0.2 } });
        var law = OutputLaw.Compute(new RotatingSampler(), Gaussian, grid, start);
        double angle = steps * RotatingSampler.Angle, c = Math.Cos(angle), s = Math.Sin(angle);
        double[,] r = { { c, -s }, { s, c } };
        for (int a = 0; a < 2; a++)
        {
            Assert.Equal(r[a, 0] * 1.0 + r[a, 1] * 0.5, law.Mean[a], 1e-12);
            for (int b = 0; b < 2; b++)
            {
                double expected = steps * RotatingSampler.NoiseScale * RotatingSampler.NoiseScale * (a == b ? 1 : 0);
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) expected += r[a, i] * start.Covariance[i, j] * r[b, j];
                Assert.Equal(expected, law.Covariance[a, b], 1e-12);
            }
        }
    }
}
