using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using Verified.Gpu;
using Verified.Numerics;

namespace Verified.Benchmarks;

/// <summary>`throughput`: times the reference case end to end (like the PyTorch peer) and prints one JSON line per implementation.</summary>
internal static class Throughput
{
    public static int Run(int samples, int steps, int threads, int dimension, int torchSamples)
    {
        var oracle = new BatchedOracle(ReferenceCase.Data(dimension), ReferenceCase.Schedule());
        var grid = ReferenceCase.Grid(steps);
        BatchedSampling.Ddim(oracle, ReferenceCase.Grid(4), 4096, 1, maxDegreeOfParallelism: threads); // JIT warm-up
        // Starts drawn outside the timed region, as in the PyTorch peer and the TorchSharp run below.
        var drawn = MarginalDraws.DrawMany(oracle.Mixture, oracle.Schedule, grid.Start, samples, 0);
        var starts = Enumerable.Range(0, dimension).Select(j => drawn.Select(p => p[j]).ToArray()).ToArray();
        var cpu = CpuSeconds();
        var clock = Stopwatch.StartNew();
        var x = BatchedSampling.Ddim(oracle, grid, starts, 0, maxDegreeOfParallelism: threads);
        double seconds = clock.Elapsed.TotalSeconds;
        cpu = CpuSeconds() - cpu;
        double meanRadius = Enumerable.Range(0, samples).Average(i => Math.Sqrt(Enumerable.Range(0, dimension).Sum(j => x[j][i] * x[j][i])));
        Print("verified-numerics-batched-float64", threads, samples, steps, dimension, seconds, cpu, meanRadius);
        // The ceiling: K = 8 exps per sample-step at the kernel's lane width; timed right after, on the same threads.
        var (exps, expsPerCpu) = ExpCeiling.ExpsPerSecond(threads);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            impl = "ceiling-vectorised-exp-float64",
            threads,
            lane_width = BatchedOracle.LaneWidth,
            exps_per_second = exps,
            sample_steps_per_second = exps / ReferenceCase.Data(dimension).Count,
            sample_steps_per_cpu_second = expsPerCpu / ReferenceCase.Data(dimension).Count,
        }));
        if (torchSamples > 0)
        {
            RunTorch(torchSamples, steps, threads, dimension, torch.ScalarType.Float64);
            RunTorch(torchSamples, steps, threads, dimension, torch.ScalarType.Float32);
        }
        return 0;
    }

    /// <summary>The same case through the TorchSharp tensor path (TensorDdim on the tensor oracle, which takes its
    /// diagonal pass here, CPU) in <paramref name="dtype"/>. Starts are drawn outside the timed region, as in the PyTorch peer.</summary>
    private static void RunTorch(int samples, int steps, int threads, int dimension, torch.ScalarType dtype)
    {
        torch.set_num_threads(threads);
        var data = ReferenceCase.Data(dimension);
        using var oracle = new TensorMixtureOracle(data, ReferenceCase.Schedule(), torch.CPU, dtype);
        var model = new OracleTensorModel(oracle);
        var grid = ReferenceCase.Grid(steps);
        var starts = MarginalDraws.DrawMany(data, ReferenceCase.Schedule(), grid.Start, samples, 0);
        using var x = torch.tensor(starts.SelectMany(v => v).ToArray(), [samples, dimension], torch.float64).to(dtype);
        using (var warm = new TensorDdim(0).Sample(model, x[..Math.Min(samples, 1024)], ReferenceCase.Grid(4), new GeneratorNoise(1)).State) { }
        var cpu = CpuSeconds();
        var clock = Stopwatch.StartNew();
        using var result = new TensorDdim(0).Sample(model, x, grid, new GeneratorNoise(1)).State;
        double seconds = clock.Elapsed.TotalSeconds;
        cpu = CpuSeconds() - cpu;
        double meanRadius = result.to(torch.float64).norm(1).mean().item<double>();
        Print(dtype == torch.ScalarType.Float64 ? "verified-torchsharp-cpu-float64" : "verified-torchsharp-cpu-float32", threads, samples, steps, dimension, seconds, cpu, meanRadius);
    }

    /// <summary>CPU time of the whole process: on a shared machine, sample-steps per CPU-second is the figure load distorts least.</summary>
    internal static double CpuSeconds() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static void Print(string impl, int threads, int samples, int steps, int dimension, double seconds, double cpuSeconds, double meanRadius) =>
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            impl,
            threads,
            samples,
            steps,
            dim = dimension,
            seconds,
            sample_steps_per_second = (double)samples * steps / seconds,
            cpu_seconds = cpuSeconds,
            sample_steps_per_cpu_second = (double)samples * steps / cpuSeconds,
            mean_radius = meanRadius,
        }));
}
