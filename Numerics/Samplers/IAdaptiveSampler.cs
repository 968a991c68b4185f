namespace Verified.Numerics;

/// <summary>
/// An adaptive sampler (<see cref="SamplerInfo.EvaluationsPerStep"/> null): its error is set by tolerances, not by the
/// grid, so the report measures it by error against tolerance. The report rebuilds it at each tolerance of its ladder
/// through <see cref="WithTolerance"/>; an adaptive sampler without this interface cannot be measured.
/// </summary>
public interface IAdaptiveSampler
{
    /// <summary>The same method with relative tolerance <paramref name="rtol"/> and absolute tolerance <paramref name="atol"/>
    /// (both finite and &gt; 0).</summary>
    Sampler WithTolerance(double rtol, double atol);
}
