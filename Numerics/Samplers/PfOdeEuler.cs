namespace Verified.Numerics;

/// <summary>Probability-flow ODE, explicit Euler (S5.2, [43]): x_{i-1} = x_i - h [f x_i - (1/2) g2 s(x_i, t_i)]. Order 1.</summary>
public sealed class PfOdeEuler : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("pf-ode-euler", "S5.2 [43]", IsStochastic: false,
        StrongOrder: 1, WeakOrder: 1, EvaluationsPerStep: 1);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var drift = run.Scratch(0);
        StepMath.OdeDrift(run, x, t, drift);
        StepMath.AddScaled(x, -(t - s), drift);
    }
}
