namespace Verified.Numerics;

/// <summary>Which schedules a sampler's formula is valid for.</summary>
public enum ScheduleRequirement
{
    /// <summary>Any schedule.</summary>
    Any,
    /// <summary>Variance-preserving schedules only (alpha^2 + sigma^2 = 1), e.g. DDPM ancestral.</summary>
    VariancePreserving,
    /// <summary>The Föllmer schedule only.</summary>
    Follmer,
}

/// <summary>
/// What a sampler promises, read by the verification suite, the reports and the gate instead of being
/// hard-coded there (THEORY "Expected convergence orders").
/// </summary>
/// <param name="Name">Registry name, unique (e.g. "ddim(eta=0.5)").</param>
/// <param name="Equation">The formula it implements, with THEORY's ID and equation number.</param>
/// <param name="IsStochastic">Whether it draws noise.</param>
/// <param name="StrongOrder">Expected order of the final-state error on a shared noise path (for deterministic samplers, the ODE order); null if none is claimed.</param>
/// <param name="WeakOrder">Expected order of the error in law; null if none is claimed.</param>
/// <param name="EvaluationsPerStep">Model evaluations per step (NFE / step); null for adaptive samplers.</param>
/// <param name="Requires">Schedules its formula is valid for.</param>
/// <param name="IsAffine">Whether, on a model affine in x (Gaussian data), the sampler is a fixed affine map of its start
/// and noise, so that <see cref="OutputLaw"/> gives its exact Gaussian output law. False for adaptive step-size control
/// (RK45) and state-dependent step sizes (Langevin with the norm-ratio rule).</param>
public sealed record SamplerInfo(
    string Name,
    string Equation,
    bool IsStochastic,
    double? StrongOrder,
    double? WeakOrder,
    double? EvaluationsPerStep,
    ScheduleRequirement Requires = ScheduleRequirement.Any,
    bool IsAffine = true);

/// <summary>The output of one sampling run.</summary>
/// <param name="State">The final state at the grid's last time.</param>
/// <param name="Evaluations">Model evaluations used (NFE).</param>
public sealed record SamplingResult(double[] State, int Evaluations);

/// <summary>Called after each step with the step index, the time reached and the state there.</summary>
public delegate void StepCallback(int step, double t, ReadOnlySpan<double> x);
