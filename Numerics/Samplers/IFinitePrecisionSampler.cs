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

    /// <summary>The same algorithm in exact (float64) arithmetic, declared affine when the algorithm is, or null. Rounding
    /// breaks the exact affinity the output-law probe needs, so the report probes this twin for the exact output law and
    /// bounds the distance of this sampler's law from it by a coupled run (ExactTier; docs/GPU.md).</summary>
    Sampler? ExactArithmetic => null;
}
