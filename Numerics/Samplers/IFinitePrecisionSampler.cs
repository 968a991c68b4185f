namespace Verified.Numerics;

/// <summary>
/// A sampler whose arithmetic is coarser than float64 (e.g. a tensor sampler in float32). The report raises the
/// round-off floor of its ladders from this unit round-off, so points where rounding, not discretisation, dominates
/// are dropped as round-off instead of bending the order fit.
/// </summary>
public interface IFinitePrecisionSampler
{
    /// <summary>The relative error of one rounding, u (2^-24 for float32, 2^-53 for float64).</summary>
    double UnitRoundOff { get; }
}
