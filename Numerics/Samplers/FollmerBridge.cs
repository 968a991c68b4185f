namespace Verified.Numerics;

/// <summary>
/// The frozen-denoiser Föllmer bridge step (CF.3): given X_s = x, with y^ = E[Y | X_s = x],
/// X_{s'} = x + (s' - s)/(1 - s) (y^ - x) + sqrt((s' - s)(1 - s')/(1 - s)) z, generative time s = 1 - t.
/// The exact Brownian-bridge law of X_{s'} given X_s and Y, with Y replaced by its posterior mean. Under the scaling map
/// X_s = alpha(t) x^VP_t, s = abar, on the grid s_i = abar_i it is exactly DDPM ancestral with beta~ (CF.3). Weak order 1.
/// </summary>
/// <remarks>Needs the Föllmer schedule; the start is handled as in <see cref="FollmerEulerMaruyama"/> (grid start
/// t_N = 1 - s_0 &lt; 1 with a state drawn from the exact marginal there). A z is drawn on every step, the last included
/// (where s' = 1 makes its variance 0), matching DDPM's one draw per step.</remarks>
public sealed class FollmerBridge : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("follmer-bridge", "CF.3", IsStochastic: true,
        StrongOrder: null, WeakOrder: 1, EvaluationsPerStep: 1, Requires: ScheduleRequirement.Follmer);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], tNext = run.Grid[i + 1];
        var work = run.State(static length => new Work(length));
        var y = work.Y;
        var z = work.Z;
        run.View.Data(x, t, y);
        run.Noise.Fill(t, tNext, z);
        // 1 - s = t and 1 - s' = t' exactly: use the forward times to avoid cancellation near s = 1.
        double ds = t - tNext;
        double pull = ds / t, sd = Math.Sqrt(ds * tNext / t);
        for (int j = 0; j < x.Length; j++)
            x[j] += pull * (y[j] - x[j]) + sd * z[j];
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Y = new double[length], Z = new double[length];
    }
}
