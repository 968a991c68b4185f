namespace Verified.Numerics;

/// <summary>
/// Heun's method on the PF-ODE (S5.3, [44]-[47]): k1 = F(x_i, t_i); xt = x_i - h k1; k2 = F(xt, t_{i-1});
/// x_{i-1} = x_i - (h/2)(k1 + k2). Order 2. Where sigma(t_{i-1}) = 0 the model cannot be evaluated, so the
/// step falls back to Euler (as EDM does).
/// </summary>
public sealed class Heun : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("heun", "S5.3 [44]-[47]", IsStochastic: false,
        StrongOrder: 2, WeakOrder: 2, EvaluationsPerStep: 2);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1], h = t - s;
        var k1 = run.Scratch(0);
        var k2 = run.Scratch(1);
        var predictor = run.Scratch(2);
        StepMath.OdeDrift(run, x, t, k1);
        if (run.Schedule.Sigma(s) == 0)
        {
            StepMath.AddScaled(x, -h, k1);
            return;
        }
        x.CopyTo(predictor, 0);
        StepMath.AddScaled(predictor, -h, k1);
        StepMath.OdeDrift(run, predictor, s, k2);
        StepMath.AddScaled(x, -0.5 * h, k1);
        StepMath.AddScaled(x, -0.5 * h, k2);
    }
}
