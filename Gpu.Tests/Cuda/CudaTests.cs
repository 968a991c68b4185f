using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Cuda;

/// <summary>The GPU checks (Gpu/run-gpu-checks.sh): the tensor oracle, a tensor sampler and a network on the CUDA device
/// against the same computation on the CPU. Skipped with the reason where CUDA is not available (every build machine so
/// far: docs/GPU.md says what has run on a GPU).</summary>
[Trait("Category", "Cuda")]
public class CudaTests
{
    [CudaFact]
    public void Cuda_is_available()
    {
        Assert.True(cuda.is_available(), "torch.cuda.is_available() is false: this is a TorchSharp-cpu build or the machine has no usable GPU");
        Assert.Equal(DeviceType.CUDA, TorchRuntime.DefaultDevice().type);
    }

    [CudaFact]
    public void The_tensor_oracle_on_cuda_equals_Theory_in_float64()
    {
        var mixture = Fixtures.FullCovariances();
        var schedule = Schedules.VpLinear();
        var reference = new MixtureOracle(mixture, schedule);
        var points = Fixtures.Points(mixture, schedule, 0.3, 64, 17);
        using var oracle = new TensorMixtureOracle(mixture, schedule, CUDA);
        using var x = Fixtures.Batch(points).to(CUDA);
        using var score = oracle.Score(x, 0.3).cpu();
        var rows = Fixtures.Rows(score);
        for (int i = 0; i < points.Length; i++)
            Assert.True(Fixtures.RelativeError(rows[i], reference.Score(points[i], 0.3)) < 1e-12, $"score at row {i}");
    }

    [CudaFact]
    public void A_tensor_sampler_on_cuda_equals_its_cpu_run_in_float64()
    {
        var mixture = Fixtures.FullCovariances();
        var schedule = Schedules.VpLinear();
        var grid = TimeGrids.UniformLambda(schedule, 16, 1.0, 1e-3);
        var start = MarginalDraws.DrawMany(mixture, schedule, grid.Start, 32, 5).SelectMany(r => r).ToArray();
        var model = new OracleModel(mixture, schedule);
        double[] Run(Device device) =>
            new TensorSamplerAdapter(TensorSamplerRegistry.ByName("dpm-solver++(2m)"), ScalarType.Float64, device).Sample(model, start, grid, ZeroNoise.Instance).State;
        var (onCpu, onCuda) = (Run(CPU), Run(CUDA));
        for (int i = 0; i < onCpu.Length; i++) Assert.True(Math.Abs(onCpu[i] - onCuda[i]) < 1e-10, $"coordinate {i}: cpu {onCpu[i]}, cuda {onCuda[i]}");
    }

    [CudaFact]
    public void A_network_on_cuda_predicts_what_it_predicts_on_the_cpu()
    {
        var config = new NetworkConfig(2, NetworkTarget.Noise, Schedules.VpLinear().Name, Hidden: 16, Layers: 2);
        using var network = new DenoiserNetwork(config, 1);
        var points = Fixtures.Points(GaussianMixture.Ring(6, 2.0, 0.3), Schedules.VpLinear(), 0.4, 64, 3);
        using var x = Fixtures.Batch(points);
        using var onCpu = new NetworkTensorModel(network).Predict(x, 0.4);
        network.to(CUDA);
        using var onCuda = new NetworkTensorModel(network).Predict(x.to(CUDA), 0.4).cpu();
        Assert.True((onCpu - onCuda).abs().max().item<double>() < 1e-5, "float32 network: cpu and cuda outputs differ beyond float32 round-off");
    }
}
