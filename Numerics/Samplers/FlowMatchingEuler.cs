namespace Verified.Numerics;

/// <summary>
/// Flow-matching Euler in generative time (S8.7): x_{t_gen + dt} = x + dt u_{t_gen}(x), dt = t_gen' - t_gen &gt; 0,
/// with u = -v (C8.6). Takes the usual decreasing forward-time grid and steps t_gen = T - t upwards. Order 1.
/// </summary>
public sealed class FlowMatchingEuler : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("fm-euler", "S8.7 [97]-[100]", IsStochastic: false,
        StrongOrder: 1, WeakOrder: 1, EvaluationsPerStep: 1);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double from = GenerativeTime.FromForward(run, run.Grid[i]), to = GenerativeTime.FromForward(run, run.Grid[i + 1]);
        var u = run.Scratch(0);
        GenerativeTime.Velocity(run, x, from, u);
        StepMath.AddScaled(x, to - from, u);
    }
}
