namespace Verified.Numerics;

/// <summary>
/// DPM-Solver-1 (S5.6, [51]): x_s = (alpha_s/alpha_t) x_t - sigma_s (e^h - 1) eps(x_t, t), h = lambda_s - lambda_t,
/// the exponential integrator of the PF-ODE with eps frozen on the step. Order 1. Equal to DDIM(eta = 0) (C7.10).
/// </summary>
public sealed class DpmSolver1 : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("dpm-solver-1", "S5.6 [51]", IsStochastic: false,
        StrongOrder: 1, WeakOrder: 1, EvaluationsPerStep: 1);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var work = run.State(static length => new Work(length));
        var eps = work.Eps;
        run.View.Noise(x, t, eps);
        var (ratio, phi) = StepCoefficients.NoiseForm(run.Schedule, t, s);
        for (int j = 0; j < x.Length; j++) x[j] = ratio * x[j] - phi * eps[j];
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Eps = new double[length];
    }
}
