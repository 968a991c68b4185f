using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Sampling;

/// <summary>Disposal discipline: a sampling run leaves no live tensor behind except the result it returns.</summary>
public class DisposalTests
{
    [Theory]
    [MemberData(nameof(TensorSamplersMatchNumericsTests.Names), MemberType = typeof(TensorSamplersMatchNumericsTests))]
    public void Sampling_leaks_no_tensors(string name)
    {
        var schedule = Verified.Theory.Schedules.VpLinear();
        var mixture = GaussianMixture.Ring(4, 1.5, 0.3);
        using var oracle = new TensorMixtureOracle(mixture, schedule, CPU);
        using var seed = new Generator(7, CPU); // not the global generator, which parallel tests share
        using var start = randn([64, 2], ScalarType.Float64, CPU, generator: seed);
        using var noise = new GeneratorNoise(3);
        var grid = TimeGrids.UniformTime(schedule, 20, 1.0, 1e-3);
        var sampler = TensorSamplerRegistry.ByName(name);
        sampler.Sample(new OracleTensorModel(oracle), start, grid, noise).State.Dispose(); // warm-up: lazy native state
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var result = sampler.Sample(new OracleTensorModel(oracle), start, grid, noise);
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount); // only the result is alive
        result.State.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Sampling_computes_no_gradients()
    {
        var schedule = Verified.Theory.Schedules.VpLinear();
        using var oracle = new TensorMixtureOracle(GaussianMixture.Ring(4, 1.5, 0.3), schedule, CPU);
        using var seed = new Generator(7, CPU); // not the global generator, which parallel tests share
        using var start = randn([8, 2], ScalarType.Float64, CPU, generator: seed).requires_grad_();
        using var noise = new GeneratorNoise(3);
        var result = new TensorHeun().Sample(new OracleTensorModel(oracle), start, TimeGrids.UniformTime(schedule, 4, 1.0, 0.01), noise);
        using var state = result.State;
        Assert.False(state.requires_grad);
    }
}
