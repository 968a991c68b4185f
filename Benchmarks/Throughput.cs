using System.Diagnostics;
using System.Text.Json;
using Verified.Numerics;

namespace Verified.Benchmarks;

/// <summary>`throughput`: times the reference case end to end (like the PyTorch peer) and prints one JSON line per implementation.</summary>
internal static class Throughput
{
    public static int Run(int samples, int steps, int threads, int dimension)
    {
        var oracle = new BatchedOracle(ReferenceCase.Data(dimension), ReferenceCase.Schedule());
        var grid = ReferenceCase.Grid(steps);
        BatchedSampling.Ddim(oracle, ReferenceCase.Grid(4), 4096, 1, maxDegreeOfParallelism: threads); // JIT warm-up
        var clock = Stopwatch.StartNew();
        var x = BatchedSampling.Ddim(oracle, grid, samples, 0, maxDegreeOfParallelism: threads);
        double seconds = clock.Elapsed.TotalSeconds;
        double meanRadius = Enumerable.Range(0, samples).Average(i => Math.Sqrt(Enumerable.Range(0, dimension).Sum(j => x[j][i] * x[j][i])));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            impl = "verified-numerics-batched-float64",
            threads,
            samples,
            steps,
            dim = dimension,
            seconds,
            sample_steps_per_second = (double)samples * steps / seconds,
            mean_radius = meanRadius,
        }));
        return 0;
    }
}
