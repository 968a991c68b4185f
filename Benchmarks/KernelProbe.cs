using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;
using Verified.Numerics;
using Verified.Theory;

namespace Verified.Benchmarks;

/// <summary>`kernel-vs-exp`: the isotropic DDIM kernel on one in-cache block of 2048 points (reference mixture,
/// t = 0.01) against the exp ceiling (its own exp, K = 8 exps per point-step; .NET's vector exp alongside), alternated 7 times, per CPU-second so that other
/// jobs on the machine distort the ratio least.</summary>
internal static class KernelProbe
{
    public static int Run()
    {
        var oracle = new BatchedOracle(GaussianMixture.Ring(8, 2.0, 0.1), Schedules.VpLinear());
        const int n = 2048;
        var rng = new Xoshiro256(1);
        var x = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, n).Select(_ => 2 * rng.NextGaussian()).ToArray()).ToArray();
        var scratch = new[] { new double[n], new double[n] };
        var work = new BatchedOracle.Workspace(oracle, n);
        var input = Enumerable.Range(0, n).Select(i => -30.0 * i / n).ToArray();
        var output = new double[n];
        var kernel = new List<double>();
        var ceiling = new List<double>();
        var dotnet = new List<double>();
        for (int round = 0; round < 7; round++)
        {
            kernel.Add(PerCpuSecond(() => oracle.AffineScoreStep(0.01, 1.0, 0.0, x, scratch, 0, n, work), n));
            ceiling.Add(PerCpuSecond(() => Exps(input, output), n) / 8);
            dotnet.Add(PerCpuSecond(() => DotNetExps(input, output), n) / 8);
        }
        kernel.Sort();
        ceiling.Sort();
        dotnet.Sort();
        Console.WriteLine($"{{\"impl\":\"kernel-vs-exp\",\"lane_width\":{BatchedOracle.LaneWidth},\"kernel_point_steps_per_cpu_second\":{kernel[3]:g4}," +
                          $"\"ceiling_point_steps_per_cpu_second\":{ceiling[3]:g4},\"ceiling_over_kernel\":{ceiling[3] / kernel[3]:f2}," +
                          $"\"dotnet_vector_exp_point_steps_per_cpu_second\":{dotnet[3]:g4}}}");
        return 0;
    }

    private static void Exps(double[] input, double[] output) => ExpCeiling.Pass(input, output);

    /// <summary>.NET's own vector exp, for comparison: the kernel used it before <see cref="KernelExp"/>.</summary>
    private static void DotNetExps(double[] input, double[] output)
    {
        if (Vector512.IsHardwareAccelerated)
            for (int i = 0; i < input.Length; i += 8) Vector512.Exp(Vector512.Create(input.AsSpan(i, 8))).CopyTo(output.AsSpan(i));
        else
            for (int i = 0; i < input.Length; i += Vector<double>.Count) Vector.Exp(new Vector<double>(input, i)).CopyTo(output, i);
    }

    private static double PerCpuSecond(Action work, int pointsPerCall)
    {
        for (int w = 0; w < 100; w++) work();
        double start = Throughput.CpuSeconds(), elapsed;
        long points = 0;
        do { work(); points += pointsPerCall; } while ((elapsed = Throughput.CpuSeconds() - start) < 0.3);
        return points / elapsed;
    }
}
