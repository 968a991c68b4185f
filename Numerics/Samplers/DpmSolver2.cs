namespace Verified.Numerics;

/// <summary>
/// DPM-Solver-2, singlestep with the midpoint in lambda (S5.7; Lu et al. 2022, Algorithm 1 with r1 = 1/2):
/// u = lambda^-1(lambda_t + h/2); x_u = (alpha_u/alpha_t) x - sigma_u (e^{h/2} - 1) eps(x, t);
/// x_s = (alpha_s/alpha_t) x - sigma_s (e^h - 1) eps(x_u, u). Order 2.
/// </summary>
/// <remarks>A step ending at sigma_s = 0 has no midpoint (lambda_s = infinity); it takes the first-order limit
/// x_s = alpha_s x0^(x, t), as k-diffusion does.</remarks>
public sealed class DpmSolver2 : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("dpm-solver-2", "S5.7 (Lu et al. 2022, DPM-Solver-2)", IsStochastic: false,
        StrongOrder: 2, WeakOrder: 2, EvaluationsPerStep: 2);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x) => ExponentialSteps.MidpointStep(run, i, x, dataForm: false);
}
