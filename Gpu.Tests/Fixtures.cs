using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests;

/// <summary>Mixtures, schedules and conversions shared by the Gpu tests.</summary>
internal static class Fixtures
{
    /// <summary>Mixtures covering the oracle's cases: isotropic, point masses, full (rotated, anisotropic)
    /// covariances, a singular covariance, and a labelled mixture.</summary>
    public static IEnumerable<(string Name, GaussianMixture Mixture)> Mixtures()
    {
        yield return ("ring(6, r=2, std=0.3)", GaussianMixture.Ring(6, 2.0, 0.3));
        yield return ("point masses 3d", GaussianMixture.PointMasses([0.2, 0.5, 0.3], [[1, 0, -1], [-2, 1, 0.5], [0, 0, 2]]));
        yield return ("full covariances 3d", FullCovariances());
        yield return ("labelled 2d", Labelled());
    }

    public static GaussianMixture FullCovariances() => new(
        [0.3, 0.7],
        [[1.0, -0.5, 0.2], [-1.0, 1.5, 0.0]],
        [
            new double[,] { { 0.5, 0.2, 0.0 }, { 0.2, 0.3, 0.1 }, { 0.0, 0.1, 0.4 } },
            new double[,] { { 1.0, 1.0, 0.0 }, { 1.0, 1.0, 0.0 }, { 0.0, 0.0, 0.0 } }, // rank 1: singular
        ]);

    /// <summary>Two classes, two components each, in 2-D.</summary>
    public static GaussianMixture Labelled() => GaussianMixture.Isotropic(
        [0.2, 0.3, 0.25, 0.25], [[2, 0], [0, 2], [-2, 0], [0, -2]], [0.05, 0.1, 0.02, 0.08], [0, 0, 1, 1]);

    public static IEnumerable<Schedule> Schedules()
    {
        yield return Verified.Theory.Schedules.VpLinear();
        yield return Verified.Theory.Schedules.VpCosine();
        yield return Verified.Theory.Schedules.Ve();
        yield return Verified.Theory.Schedules.LinearInterpolant();
    }

    /// <summary>Rows of a [n, d] tensor as arrays (copied to the CPU in float64).</summary>
    public static double[][] Rows(Tensor x)
    {
        using var cpu = x.to(ScalarType.Float64, CPU);
        var flat = cpu.data<double>().ToArray();
        int n = (int)x.shape[0], d = (int)x.shape[1];
        return Enumerable.Range(0, n).Select(i => flat.AsSpan(i * d, d).ToArray()).ToArray();
    }

    public static Tensor Batch(double[][] rows, ScalarType dtype = ScalarType.Float64) =>
        tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length], ScalarType.Float64).to(dtype);

    /// <summary>Seeded points around p_t: exact draws from the noised law plus a few far-away points.</summary>
    public static double[][] Points(GaussianMixture mixture, Schedule schedule, double t, int n, ulong seed)
    {
        var rows = MarginalDraws.DrawMany(mixture, schedule, t, n, seed);
        var far = new double[mixture.Dimension];
        Array.Fill(far, 25.0);
        rows[0] = far; // far from every mode: log-sum-exp must keep responsibilities finite
        return rows;
    }

    /// <summary>||a - b|| / max(||b||, floor).</summary>
    public static double RelativeError(double[] a, double[] b, double floor = 1e-300)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.Length; i++) { diff += (a[i] - b[i]) * (a[i] - b[i]); scale += b[i] * b[i]; }
        return Math.Sqrt(diff) / Math.Max(Math.Sqrt(scale), floor);
    }
}
