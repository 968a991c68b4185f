using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Verified.Numerics;

namespace Verified.Benchmarks;

/// <summary>
/// The ceiling for the isotropic oracle kernel: the kernel's own vectorised exp (<see cref="KernelExp"/>) alone, at
/// the lane width the kernel uses (<see cref="BatchedOracle.LaneWidth"/>), on in-cache data, one stream per thread. The kernel needs K exps per
/// sample-step, so exps/s / K is the fastest any exact float64 implementation of the step built on this exp can run.
/// </summary>
internal static class ExpCeiling
{
    private const int Block = 2048;

    /// <summary>Exps per wall-clock second over <paramref name="threads"/> threads, timed over about
    /// <paramref name="seconds"/>, and per CPU-second.</summary>
    public static (double PerSecond, double PerCpuSecond) ExpsPerSecond(int threads, double seconds = 1.0)
    {
        Measure(1, 0.05); // JIT warm-up
        return Measure(threads, seconds);
    }

    private static (double, double) Measure(int threads, double seconds)
    {
        var counts = new long[threads];
        double cpu = Throughput.CpuSeconds();
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
        {
            // arguments like the kernel's: log terms minus their max, in [-30, 0]
            var input = Enumerable.Range(0, Block).Select(i => -30.0 * i / Block).ToArray();
            var output = new double[Block];
            double sink = 0;
            long done = 0;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                Pass(input, output);
                sink += output[Block / 2];
                done += Block;
            }
            counts[p] = sink > 0 ? done : 0; // sink > 0 always (exps); the test keeps the work observable
        });
        double wall = clock.Elapsed.TotalSeconds;
        cpu = Throughput.CpuSeconds() - cpu;
        return (counts.Sum() / wall, counts.Sum() / cpu);
    }

    // Independent exps stored to memory, as the kernel's exp pass does (no dependency chain between them).
    internal static void Pass(double[] input, double[] output)
    {
        if (BatchedOracle.LaneWidth == 8 && Vector512.IsHardwareAccelerated) Pass<Vector512<double>, Lanes512>(input, output);
        else if (Vector256.IsHardwareAccelerated) Pass<Vector256<double>, Lanes256>(input, output);
        else Pass<Vector<double>, LanesVector>(input, output);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // timed for ~1 s: no tier-0 code in the measurement
    private static void Pass<TV, L>(double[] input, double[] output) where TV : unmanaged where L : ILanes<TV>
    {
        for (int i = 0; i <= input.Length - L.Count; i += L.Count) L.Store(KernelExp.Exp<TV, L>(L.Load(input, i)), output, i);
    }
}
