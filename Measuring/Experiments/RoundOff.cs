using Verified.Numerics;

namespace Verified.Reports.Experiments;

/// <summary>The relative round-off floor of a ladder: the tier's float64 floor, raised for samplers that compute in a
/// coarser dtype (<see cref="IFinitePrecisionSampler"/>) to <see cref="Margin"/> u. The ladders' errors are measured
/// after N steps, each rounding O(u) of the state, so a run of up to a few hundred steps stays within 10^3 u of its
/// exact-arithmetic value; below that the error is round-off. For float64 (u = 1.1e-16) the margin gives 1.1e-13, under
/// every tier's own floor, so float64 samplers are judged as before.</summary>
internal static class RoundOff
{
    /// <summary>Round-off budget in units of u.</summary>
    public const double Margin = 1e3;

    /// <summary>max(<paramref name="float64Relative"/>, Margin u) for a finite-precision sampler, else the float64 floor.</summary>
    public static double Relative(Sampler sampler, double float64Relative) =>
        sampler is IFinitePrecisionSampler p ? Math.Max(float64Relative, Margin * p.UnitRoundOff) : float64Relative;
}
