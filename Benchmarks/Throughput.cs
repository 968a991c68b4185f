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
        var clock = Stopwatch.StartNew();
        var x = BatchedSampling.Ddim(oracle, grid, samples, 0, maxDegreeOfParallelism: threads);
        double seconds = clock.Elapsed.TotalSeconds;
        double meanRadius = Enumerable.Range(0, samples).Average(i => Math.Sqrt(Enumerable.Range(0, dimension).Sum(j => x[j][i] * x[j][i])));
        Print("verified-numerics-batched-float64", threads, samples, steps, dimension, seconds, meanRadius);
        if (torchSamples > 0) RunTorch(torchSamples, steps, threads, dimension);
        return 0;
    }

    /// <summary>The same case through the TorchSharp tensor path (TensorDdim on the tensor oracle, float64, CPU).
    /// Starts are drawn outside the timed region, as in the PyTorch peer.</summary>
    private static void RunTorch(int samples, int steps, int threads, int dimension)
    {
        torch.set_num_threads(threads);
        var data = ReferenceCase.Data(dimension);
        using var oracle = new TensorMixtureOracle(data, ReferenceCase.Schedule());
        var model = new OracleTensorModel(oracle);
        var grid = ReferenceCase.Grid(steps);
        var starts = MarginalSampler.DrawMany(data, ReferenceCase.Schedule(), grid.Start, samples, 0);
        using var x = torch.tensor(starts.SelectMany(v => v).ToArray(), [samples, dimension], torch.float64);
        using (var warm = new TensorDdim(0).Sample(model, x[..Math.Min(samples, 1024)], ReferenceCase.Grid(4), new GeneratorNoise(1)).State) { }
        var clock = Stopwatch.StartNew();
        using var result = new TensorDdim(0).Sample(model, x, grid, new GeneratorNoise(1)).State;
        double seconds = clock.Elapsed.TotalSeconds;
        double meanRadius = result.norm(1).mean().item<double>();
        Print("verified-torchsharp-cpu-float64", threads, samples, steps, dimension, seconds, meanRadius);
    }

    private static void Print(string impl, int threads, int samples, int steps, int dimension, double seconds, double meanRadius) =>
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            impl,
            threads,
            samples,
            steps,
            dim = dimension,
            seconds,
            sample_steps_per_second = (double)samples * steps / seconds,
            mean_radius = meanRadius,
        }));
}
