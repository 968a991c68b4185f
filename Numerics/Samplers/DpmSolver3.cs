namespace Verified.Numerics;

/// <summary>
/// DPM-Solver-3, singlestep (S5.7; Lu et al. 2022, Algorithm 2 with r1 = 1/3, r2 = 2/3), h = lambda_s - lambda_t,
/// u_k = lambda^-1(lambda_t + r_k h), eps_0 = eps(x, t):
/// x_1 = (alpha_u1/alpha_t) x - sigma_u1 (e^{r1 h} - 1) eps_0, D1 = eps(x_1, u1) - eps_0;
/// x_2 = (alpha_u2/alpha_t) x - sigma_u2 (e^{r2 h} - 1) eps_0 - sigma_u2 (r2/r1) phi2(r2 h) D1, D2 = eps(x_2, u2) - eps_0;
/// x_s = (alpha_s/alpha_t) x - sigma_s (e^h - 1) eps_0 - (sigma_s/r2) phi2(h) D2, with phi2(h) = (e^h - 1)/h - 1. Order 3.
/// </summary>
/// <remarks>A step ending at sigma_s = 0 takes the first-order limit x_s = alpha_s x0^(x, t) (k-diffusion's choice).</remarks>
public sealed class DpmSolver3 : Sampler
{
    private const double R1 = 1.0 / 3.0, R2 = 2.0 / 3.0;

    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("dpm-solver-3", "S5.7 (Lu et al. 2022, DPM-Solver-3)", IsStochastic: false,
        StrongOrder: 3, WeakOrder: 3, EvaluationsPerStep: 3);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var work = run.State(static length => new Work(length));
        var eps0 = work.Eps0;
        var state = work.State;
        var d1 = work.D1;
        var d2 = work.D2;
        run.View.Noise(x, t, eps0);
        double sigmaS = run.Schedule.Sigma(s);
        if (sigmaS == 0)
        {
            ExponentialSteps.NoiseForm(run, t, s, x, eps0, x);
            return;
        }
        double h = StepCoefficients.LambdaStep(run.Schedule, t, s);
        double u1 = StepCoefficients.IntermediateTime(run.Schedule, t, s, R1), u2 = StepCoefficients.IntermediateTime(run.Schedule, t, s, R2);

        ExponentialSteps.NoiseForm(run, t, u1, x, eps0, state);
        run.View.Noise(state, u1, d1);
        StepMath.AddScaled(d1, -1.0, eps0);

        ExponentialSteps.NoiseForm(run, t, u2, x, eps0, state);
        StepMath.AddScaled(state, -run.Schedule.Sigma(u2) * (R2 / R1) * StepCoefficients.Phi2(R2 * h), d1);
        run.View.Noise(state, u2, d2);
        StepMath.AddScaled(d2, -1.0, eps0);

        ExponentialSteps.NoiseForm(run, t, s, x, eps0, x);
        StepMath.AddScaled(x, -sigmaS / R2 * StepCoefficients.Phi2(h), d2);
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Eps0 = new double[length], State = new double[length], D1 = new double[length], D2 = new double[length];
    }
}
