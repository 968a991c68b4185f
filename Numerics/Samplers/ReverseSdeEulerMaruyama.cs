namespace Verified.Numerics;

/// <summary>
/// Reverse-SDE Euler–Maruyama (S5.1, [42]):
/// x_{i-1} = x_i - h [f(t_i) x_i - g2(t_i) s(x_i, t_i)] + g(t_i) sqrt(h) z, h = t_i - t_{i-1}.
/// Additive noise, so strong order 1 on a shared Brownian path; weak order 1.
/// </summary>
public sealed class ReverseSdeEulerMaruyama : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("reverse-sde-em", "S5.1 [42]", IsStochastic: true,
        StrongOrder: 1, WeakOrder: 1, EvaluationsPerStep: 1);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x) => StepOnce(run, i, x);

    /// <summary>The step, for samplers that use it as their predictor (e.g. <see cref="PredictorCorrector"/>).</summary>
    internal void StepOnce(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1], h = t - s;
        var work = run.State(static length => new Work(length));
        var drift = work.Drift;
        var z = work.Z;
        StepMath.ReverseDrift(run, x, t, 1.0, drift);
        run.Noise.Fill(t, s, z);
        double g = Math.Sqrt(run.Schedule.G2(t));
        StepMath.AddScaled(x, -h, drift);
        StepMath.AddScaled(x, g * Math.Sqrt(h), z);
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Drift = new double[length], Z = new double[length];
    }
}
