namespace Verified.Numerics;

/// <summary>
/// DPM-Solver++(2M), multistep in data-prediction form (S5.7; Lu et al. 2022b, Algorithm 2): with
/// h = lambda_s - lambda_t, r = (lambda_t - lambda_prev)/h and D = (1 + 1/(2r)) x0(x, t) - (1/(2r)) x0_prev,
/// x_s = (sigma_s/sigma_t) x - alpha_s (e^{-h} - 1) D. Order 2, one evaluation per step.
/// </summary>
/// <remarks>The first step has no history and a step ending at sigma_s = 0 has h = infinity; both take the
/// first-order step with D = x0(x, t), as k-diffusion does.</remarks>
public sealed class DpmSolverPlusPlus2M : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("dpm-solver++(2m)", "S5.7 (Lu et al. 2022b, DPM-Solver++(2M))", IsStochastic: false,
        StrongOrder: 2, WeakOrder: 2, EvaluationsPerStep: 1);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var work = run.State(static length => new Work(length));
        var x0 = work.X0;
        var combined = work.Combined;
        run.View.Data(x, t, x0);
        x0.CopyTo(combined, 0);
        if (run.Previous is { } previous && run.Schedule.Sigma(s) > 0)
        {
            double r = StepCoefficients.MultistepRatio(run.Schedule, previous.Time, t, s);
            for (int j = 0; j < x.Length; j++)
                combined[j] = (1 + 0.5 / r) * x0[j] - 0.5 / r * previous.Prediction[j];
        }
        var history = run.Previous?.Prediction ?? new double[x.Length];
        x0.CopyTo(history, 0);
        run.Previous = (t, history);
        ExponentialSteps.DataForm(run, t, s, x, combined, x);
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] X0 = new double[length], Combined = new double[length];
    }
}
