using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>Shared problems for the Numerics tests.</summary>
internal static class Fixtures
{
    public static double[,] Eye(int d)
    {
        var m = new double[d, d];
        for (int i = 0; i < d; i++) m[i, i] = 1;
        return m;
    }

    /// <summary>An anisotropic 2-D Gaussian with correlation.</summary>
    public static GaussianMixture Gaussian2D() =>
        GaussianMixture.Gaussian([0.5, -1.0], new[,] { { 0.8, 0.3 }, { 0.3, 0.5 } });

    /// <summary>A two-component 2-D mixture.</summary>
    public static GaussianMixture Mixture2D() =>
        new([0.3, 0.7], [[1.5, 0.0], [-1.0, 0.5]], [new[,] { { 0.2, 0.05 }, { 0.05, 0.1 } }, new[,] { { 0.3, 0.0 }, { 0.0, 0.3 } }]);

    public static OracleModel Oracle(GaussianMixture data, Schedule schedule) => new(data, schedule);

    public static double MaxAbsDifference(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    public static double[,] Rotated(double[] eigenvalues, double angle)
    {
        // U diag(l) U^T with U the rotation by angle in the (0, 1) plane (identity on the other coordinates).
        int d = eigenvalues.Length;
        double c = Math.Cos(angle), s = Math.Sin(angle);
        var u = Eye(d);
        u[0, 0] = c; u[0, 1] = -s; u[1, 0] = s; u[1, 1] = c;
        var m = new double[d, d];
        for (int r = 0; r < d; r++)
            for (int q = 0; q < d; q++)
                for (int j = 0; j < d; j++) m[r, q] += u[r, j] * eigenvalues[j] * u[q, j];
        return m;
    }

    /// <summary>Runs <paramref name="work"/> on a scheduler that executes one task at a time, so Parallel.For
    /// inside it runs on a single thread.</summary>
    public static T SingleThreaded<T>(Func<T> work)
    {
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 1).ExclusiveScheduler;
        return Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, scheduler).GetAwaiter().GetResult();
    }
}
