using Verified.Numerics;
using Verified.Theory;

namespace Verified.Benchmarks;

/// <summary>The throughput reference case shared by our timing and Benchmarks/peer/peer_ddim.py: exact-oracle DDIM(eta = 0)
/// on a ring of K = 8 isotropic modes (radius 2, std 0.1) in d dimensions (the ring lies in the first two axes),
/// VP-linear, steps uniform in t from 1 to 1e-3, starts drawn exactly from p_1.</summary>
internal static class ReferenceCase
{
    public static GaussianMixture Data(int dimension)
    {
        var ring = GaussianMixture.Ring(8, 2.0, 0.1);
        if (dimension == 2) return ring;
        var means = Enumerable.Range(0, 8).Select(k =>
        {
            var m = new double[dimension];
            var r = ring.Mean(k);
            m[0] = r[0];
            m[1] += r[1];
            return m;
        }).ToArray();
        return GaussianMixture.Isotropic(Enumerable.Repeat(1.0 / 8, 8).ToArray(), means, Enumerable.Repeat(0.01, 8).ToArray());
    }

    public static Schedule Schedule() => Schedules.VpLinear();

    public static TimeGrid Grid(int steps) => TimeGrids.UniformTime(Schedule(), steps, 1.0, 1e-3);
}
