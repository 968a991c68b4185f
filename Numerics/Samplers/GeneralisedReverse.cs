namespace Verified.Numerics;

/// <summary>
/// Euler–Maruyama on the generalised reverse family (C3.5) with gamma^2 = c g2:
/// x_{i-1} = x_i - h [f x_i - (1/2)(1 + c) g2 s(x_i, t_i)] + sqrt(c g2(t_i) h) z. Every c &gt;= 0 has the marginals p_t;
/// c = 0 is PF-ODE Euler (S5.2) and c = 1 the reverse-SDE Euler–Maruyama step (S5.1). Weak order 1.
/// </summary>
public sealed class GeneralisedReverse : Sampler
{
    private readonly double noiseShare;

    /// <summary>The member of the family with gamma^2 = noiseShare * g2.</summary>
    /// <param name="noiseShare">c = gamma^2 / g2, finite and &gt;= 0.</param>
    public GeneralisedReverse(double noiseShare)
    {
        if (!(noiseShare >= 0) || !double.IsFinite(noiseShare))
            throw new ArgumentOutOfRangeException(nameof(noiseShare), noiseShare, $"noiseShare must be finite and >= 0, got {noiseShare}");
        this.noiseShare = noiseShare;
        Info = new(FormattableString.Invariant($"generalised-reverse(c={noiseShare:R})"), "C3.5", IsStochastic: noiseShare > 0,
            StrongOrder: 1, WeakOrder: 1, EvaluationsPerStep: 1);
    }

    /// <summary>c = gamma^2 / g2.</summary>
    public double NoiseShare => noiseShare;

    /// <inheritdoc/>
    public override SamplerInfo Info { get; }

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1], h = t - s;
        var work = run.State(static length => new Work(length));
        var drift = work.Drift;
        StepMath.ReverseDrift(run, x, t, noiseShare, drift);
        StepMath.AddScaled(x, -h, drift);
        if (noiseShare == 0) return;
        var z = work.Z;
        run.Noise.Fill(t, s, z);
        StepMath.AddScaled(x, Math.Sqrt(noiseShare * run.Schedule.G2(t) * h), z);
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Drift = new double[length], Z = new double[length];
    }
}
