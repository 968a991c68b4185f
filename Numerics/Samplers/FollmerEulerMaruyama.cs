namespace Verified.Numerics;

/// <summary>
/// Euler–Maruyama on the Föllmer SDE dX = b(X, s) ds + dW in generative time s = 1 - t (CF.4), with the drift read
/// through the denoiser, b(x, s) = (E[Y | X_s = x] - x)/(1 - s) (CF.1):
/// X_{s'} = X_s + (s' - s) b(X_s, s) + sqrt(s' - s) z. Weak order 1 (strong order 1: additive noise).
/// </summary>
/// <remarks>Needs the Föllmer schedule (forward t = 1 - s, alpha = 1 - t = s, sigma^2 = s(1 - s)). The process starts at
/// X_0 = 0 at s = 0, i.e. forward t = 1, which lies outside the schedule's open domain [0, 1); like every sampler this one
/// starts at the grid's first time t_N = 1 - s_0 &lt; 1 from a given state, which for the Föllmer process should be a draw
/// of its exact marginal s_0 Y + sqrt(s_0 (1 - s_0)) Z (<see cref="MarginalDraws"/>).</remarks>
public sealed class FollmerEulerMaruyama : Sampler
{
    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("follmer-em", "CF.4 (drift CF.1)", IsStochastic: true,
        StrongOrder: 1, WeakOrder: 1, EvaluationsPerStep: 1, Requires: ScheduleRequirement.Follmer);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], tNext = run.Grid[i + 1];
        double ds = t - tNext; // s' - s, with s = 1 - t
        var work = run.State(static length => new Work(length));
        var y = work.Y;
        var z = work.Z;
        run.View.Data(x, t, y);
        run.Noise.Fill(t, tNext, z);
        double sqrtDs = Math.Sqrt(ds);
        for (int j = 0; j < x.Length; j++)
            x[j] += ds * (y[j] - x[j]) / t + sqrtDs * z[j]; // 1 - s = t
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Y = new double[length], Z = new double[length];
    }
}
