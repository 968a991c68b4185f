using Verified.Theory;

namespace Verified.Numerics;

/// <summary>The variance of DDPM's ancestral noise (S7.7): sigma_i^2 = beta_i or the posterior variance beta~_i.</summary>
public enum DdpmVariance
{
    /// <summary>sigma_i^2 = beta_i (the forward step's variance).</summary>
    Beta,
    /// <summary>sigma_i^2 = beta~_i = (1 - abar_{i-1}) beta_i / (1 - abar_i) (C7.6).</summary>
    BetaTilde,
}

/// <summary>
/// DDPM ancestral sampling (S7.7, [79]-[80], [83]) on a continuous VP schedule, step t -&gt; s:
/// abar_t = alpha(t)^2, alpha_step = abar_t / abar_s, beta = 1 - alpha_step,
/// x_s = (x_t - beta / sqrt(1 - abar_t) eps(x_t, t)) / sqrt(alpha_step) + sigma z,
/// with sigma^2 = beta or beta~ = (1 - abar_s) beta / (1 - abar_t).
/// </summary>
/// <remarks>z = 0 at the last step for sigma^2 = beta, as in Ho et al. (with beta~ the last step has
/// beta~ = 0 anyway when it ends at t = 0). A z is drawn on every step regardless, so that DDPM(beta~) and
/// DDIM(eta = 1) consume identical noise and C7.11 can be checked to round-off. beta = -expm1(2 log(alpha_t/alpha_s))
/// avoids the cancellation of 1 - alpha_step on fine grids.</remarks>
public sealed class Ddpm : Sampler
{
    private readonly DdpmVariance variance;

    /// <summary>DDPM with the given choice of sigma^2.</summary>
    /// <param name="variance"><see cref="DdpmVariance.Beta"/> or <see cref="DdpmVariance.BetaTilde"/>.</param>
    public Ddpm(DdpmVariance variance)
    {
        if (!Enum.IsDefined(variance))
            throw new ArgumentOutOfRangeException(nameof(variance), variance, $"variance must be Beta or BetaTilde, got {(int)variance}");
        this.variance = variance;
        Info = new(variance == DdpmVariance.Beta ? "ddpm(beta)" : "ddpm(beta~)", "S7.7 [79]-[80],[83]", IsStochastic: true,
            StrongOrder: null, WeakOrder: 1, EvaluationsPerStep: 1, Requires: ScheduleRequirement.VariancePreserving);
    }

    /// <summary>The variance choice.</summary>
    public DdpmVariance Variance => variance;

    /// <inheritdoc/>
    public override SamplerInfo Info { get; }

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var sch = run.Schedule;
        var work = run.State(static length => new Work(length));
        var eps = work.Eps;
        var z = work.Z;
        run.View.Noise(x, t, eps);
        run.Noise.Fill(t, s, z);
        var (scale, epsCoefficient, noiseScale) = StepCoefficients.Ddpm(sch, t, s, variance, lastStep: i == run.Grid.Steps - 1);
        for (int j = 0; j < x.Length; j++)
            x[j] = scale * (x[j] - epsCoefficient * eps[j]) + noiseScale * z[j];
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Eps = new double[length], Z = new double[length];
    }
}
