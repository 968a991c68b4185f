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
}
