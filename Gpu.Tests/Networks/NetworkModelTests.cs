using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Networks;

/// <summary>The adapters that let samplers run on networks, checked with the exact oracle where one exists.</summary>
public class NetworkModelTests
{
    [Fact]
    public void V_to_eps_conversion_recovers_the_oracle_eps_from_the_oracle_v()
    {
        var mixture = GaussianMixture.Ring(5, 2.0, 0.2);
        foreach (var schedule in Fixtures.Schedules())
        {
            using var oracle = new TensorMixtureOracle(mixture, schedule, CPU);
            double t = 0.3 * schedule.TMax;
            using var x = Fixtures.Batch(Fixtures.Points(mixture, schedule, t, 20, 2)[1..]);
            using var scope = NewDisposeScope();
            var epsStar = oracle.ExpectedNoise(x, t);
            var x0Star = oracle.PosteriorMean(x, t); // from the posterior mixture, not from eps*
            double alpha = schedule.Alpha(t), sigma = schedule.Sigma(t);
            var v = epsStar * alpha - x0Star * sigma;
            var recovered = NetworkTensorModel.NoiseFromV(v, x, alpha, sigma);
            Assert.True((recovered - epsStar).abs().max().item<double>() < 1e-10, schedule.Name);
        }
    }

    [Fact]
    public void Numerics_samplers_run_on_a_tensor_model_through_the_adapter()
    {
        var mixture = Fixtures.FullCovariances();
        var schedule = Verified.Theory.Schedules.VpCosine();
        using var oracle = new TensorMixtureOracle(mixture, schedule, CPU);
        var adapted = new TensorDiffusionModel(new OracleTensorModel(oracle));
        var reference = new OracleModel(mixture, schedule);
        var grid = TimeGrids.UniformTime(schedule, 10, 0.9, 0.01);
        var start = MarginalDraws.DrawMany(mixture, schedule, 0.9, 1, 4)[0];
        foreach (var sampler in new Sampler[] { new Heun(), new DpmSolverPlusPlus2M(), new Ddim(0.5) })
        {
            var a = sampler.Sample(adapted, start, grid, new SeededNoise(5)).State;
            var b = sampler.Sample(reference, start, grid, new SeededNoise(5)).State;
            Assert.True(Fixtures.RelativeError(a, b) < 1e-12, sampler.Info.Name);
        }
    }

    [Fact]
    public void Guidance_scale_zero_is_the_null_condition_and_one_the_label()
    {
        var config = new NetworkConfig(2, NetworkTarget.Noise, "vp-linear(0.1,20)", Hidden: 16, Layers: 2, Classes: 2);
        using var network = new DenoiserNetwork(config, 9);
        using var seed = new Generator(7, CPU); // not the global generator, which parallel tests share
        using var x = randn([10, 2], ScalarType.Float64, CPU, generator: seed);
        using var unconditional = new NetworkTensorModel(network).Predict(x, 0.5);
        using var conditional = new NetworkTensorModel(network, 1).Predict(x, 0.5);
        using var w0 = new NetworkTensorModel(network, 1, 0.0).Predict(x, 0.5);
        using var w1 = new NetworkTensorModel(network, 1, 1.0).Predict(x, 0.5);
        using var w3 = new NetworkTensorModel(network, 1, 3.0).Predict(x, 0.5);
        Assert.True(w0.allclose(unconditional, 0, 1e-6));
        Assert.True(w1.allclose(conditional, 0, 1e-6));
        using var expected = unconditional + (conditional - unconditional) * 3.0;
        Assert.True(w3.allclose(expected, 0, 1e-5));
        Assert.False(conditional.allclose(unconditional, 0, 1e-6)); // the label matters
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkTensorModel(network, 2));
    }

    [Fact]
    public void A_score_network_is_read_as_the_score_and_is_not_trained()
    {
        var config = new NetworkConfig(2, NetworkTarget.Score, Schedules.VpLinear().Name, Hidden: 8, Layers: 1);
        using var network = new DenoiserNetwork(config, 1);
        Assert.Equal(PredictionKind.Score, new NetworkTensorModel(network).Kind);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(network, GaussianMixture.Ring(3, 1.0, 0.2), new TrainingOptions(Steps: 1)));
        Assert.Contains("Score", e.Message);
    }
}
