namespace Verified.Numerics;

/// <summary>
/// An adaptive sampler (<see cref="SamplerInfo.EvaluationsPerStep"/> null): its error is set by tolerances, not by the
/// grid, so the report measures it by error against tolerance. The report rebuilds it at each tolerance of its ladder
/// through <see cref="WithTolerance"/> and checks the slope it declares in <see cref="ToleranceOrder"/>; an adaptive
/// sampler without this interface cannot be measured.
/// </summary>
/// <remarks><see cref="SamplerInfo.StrongOrder"/> of an adaptive sampler is the order of its method per accepted step
/// (5 for Dormand–Prince); it says nothing about how the error falls with the tolerance, which is what
/// <see cref="ToleranceOrder"/> declares.</remarks>
public interface IAdaptiveSampler
{
    /// <summary>The same method with relative tolerance <paramref name="rtol"/> and absolute tolerance <paramref name="atol"/>
    /// (both finite and &gt; 0).</summary>
    Sampler WithTolerance(double rtol, double atol);

    /// <summary>The promised slope of log(error) against log(1/tol) with rtol = atol = tol: 1 for a step-size controller
    /// that keeps the global error proportional to the tolerance (THEORY "Expected convergence orders": RK45, error vs
    /// tolerance), whatever the order of the method itself. The claim is one-sided: a steeper slope passes.</summary>
    double ToleranceOrder { get; }
}
