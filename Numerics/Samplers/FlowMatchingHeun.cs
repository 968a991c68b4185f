namespace Verified.Numerics;

/// <summary>
/// Flow-matching Heun in generative time (S8.7): k1 = u(x, t_gen); k2 = u(x + dt k1, t_gen + dt);
/// x' = x + (dt/2)(k1 + k2), with u = -v (C8.6). Order 2. Where the step ends at sigma = 0 the model cannot be
/// evaluated there, so that step is Euler (as in EDM).
/// </summary>
public sealed class FlowMatchingHeun : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("fm-heun", "S8.7 [97]-[100]", IsStochastic: false,
        StrongOrder: 2, WeakOrder: 2, EvaluationsPerStep: 2);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double from = GenerativeTime.FromForward(run, run.Grid[i]), to = GenerativeTime.FromForward(run, run.Grid[i + 1]);
        double dt = to - from;
        var k1 = run.Scratch(0);
        var k2 = run.Scratch(1);
        var predictor = run.Scratch(2);
        GenerativeTime.Velocity(run, x, from, k1);
        if (run.Schedule.Sigma(run.Grid[i + 1]) == 0)
        {
            StepMath.AddScaled(x, dt, k1);
            return;
        }
        x.CopyTo(predictor, 0);
        StepMath.AddScaled(predictor, dt, k1);
        GenerativeTime.Velocity(run, predictor, to, k2);
        StepMath.AddScaled(x, 0.5 * dt, k1);
        StepMath.AddScaled(x, 0.5 * dt, k2);
    }
}
