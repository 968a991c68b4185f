namespace Verified.Numerics;

/// <summary>
/// DPM-Solver++(2S), singlestep in data-prediction form (S5.7; Lu et al. 2022b, with r = 1/2):
/// u = lambda^-1(lambda_t + h/2); x_u = (sigma_u/sigma_t) x - alpha_u (e^{-h/2} - 1) x0(x, t);
/// x_s = (sigma_s/sigma_t) x - alpha_s (e^{-h} - 1) x0(x_u, u). Order 2.
/// </summary>
/// <remarks>A step ending at sigma_s = 0 takes the first-order limit x_s = alpha_s x0(x, t), as k-diffusion does.</remarks>
public sealed class DpmSolverPlusPlus2S : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("dpm-solver++(2s)", "S5.7 (Lu et al. 2022b, DPM-Solver++(2S))", IsStochastic: false,
        StrongOrder: 2, WeakOrder: 2, EvaluationsPerStep: 2);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x) => ExponentialSteps.MidpointStep(run, i, x, dataForm: true);
}
