namespace Verified.Numerics;

/// <summary>How the Langevin corrector picks its step size epsilon.</summary>
public enum LangevinStepSize
{
    /// <summary>Song et al. (2021), Algorithms 4-5: epsilon = 2 a (snr |z| / |s(x)|)^2, from the current noise and score
    /// norms. Not affine in the state, so there is no exact Gaussian output law.</summary>
    NormRatio,
    /// <summary>The same rule with the norms replaced by their scale for unresolved data, |z| / |s| ~ sigma:
    /// epsilon = 2 a (snr sigma)^2. Affine on Gaussian data, so <see cref="OutputLaw"/> applies.</summary>
    Fixed,
}

/// <summary>
/// Predictor-corrector sampling (Song et al. 2021): a reverse-SDE Euler–Maruyama predictor (S5.1) from t to s, then
/// M Langevin corrector steps at s, x &lt;- x + epsilon s(x, s) + sqrt(2 epsilon) z, with auxiliary draws z
/// (Fill(s, s, z)) and a = alpha_t^2 / alpha_s^2 (= 1 - beta_i for VP, 1 for VE). No corrector where sigma_s = 0.
/// </summary>
/// <remarks>At fixed snr (Song et al.'s rule, <c>shrinkWithGrid: false</c>) the corrector's step size does not shrink with
/// the grid, so the law is pulled towards the unadjusted-Langevin invariant law, which is O(epsilon) away from p_t: no order
/// holds and none is declared (such an instance is not registered). With <c>shrinkWithGrid: true</c> the step size is
/// multiplied by the step's log-SNR increment h = lambda_s - lambda_t, so epsilon = O(h): one Langevin step from a law
/// O(h) away from p_s changes E phi by epsilon E[L phi] + O(epsilon^2) = O(h^2) (the Langevin generator L annihilates p_s),
/// N steps add O(h), and the sampler keeps the predictor's weak order 1, which it declares (checked by the report).</remarks>
public sealed class PredictorCorrector : Sampler
{
    private readonly ReverseSdeEulerMaruyama predictor = new();
    private readonly double snr;
    private readonly int correctorSteps;
    private readonly LangevinStepSize stepSize;
    private readonly bool shrinkWithGrid;

    /// <summary>PC sampler.</summary>
    /// <param name="snr">the corrector's signal-to-noise ratio r, finite and &gt; 0 (Song et al. use 0.01-0.16).</param>
    /// <param name="correctorSteps">M &gt;= 1 corrector steps per step.</param>
    /// <param name="stepSize">the step-size rule.</param>
    /// <param name="shrinkWithGrid">multiply epsilon by the step's log-SNR increment, so that it shrinks with the grid
    /// (declares weak order 1); false is Song et al.'s fixed-snr rule (no order).</param>
    public PredictorCorrector(double snr = 0.16, int correctorSteps = 1, LangevinStepSize stepSize = LangevinStepSize.NormRatio, bool shrinkWithGrid = false)
    {
        Check.Positive(snr, nameof(snr));
        Check.AtLeast(correctorSteps, 1, nameof(correctorSteps));
        if (!Enum.IsDefined(stepSize))
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"stepSize must be NormRatio or Fixed, got {(int)stepSize}");
        this.snr = snr;
        this.correctorSteps = correctorSteps;
        this.stepSize = stepSize;
        this.shrinkWithGrid = shrinkWithGrid;
        string rule = (stepSize == LangevinStepSize.Fixed ? ",fixed" : "") + (shrinkWithGrid ? ",shrink" : "");
        Info = new(FormattableString.Invariant($"pc(snr={snr:R},m={correctorSteps}{rule})"), "Song et al. 2021, Alg. 2 (S5.1 + Langevin)", IsStochastic: true,
            StrongOrder: null, WeakOrder: shrinkWithGrid ? 1.0 : null, EvaluationsPerStep: 1 + correctorSteps, IsAffine: stepSize == LangevinStepSize.Fixed);
    }

    /// <inheritdoc/>
    public override SamplerInfo Info { get; }

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        predictor.StepOnce(run, i, x);
        double t = run.Grid[i], s = run.Grid[i + 1];
        double sigma = run.Schedule.Sigma(s);
        if (sigma == 0) return;
        double a = Math.Pow(run.Schedule.Alpha(t) / run.Schedule.Alpha(s), 2);
        double shrink = shrinkWithGrid ? run.Schedule.Lambda(s) - run.Schedule.Lambda(t) : 1;
        var work = run.State(static length => new Work(length));
        var score = work.Score;
        var z = work.Z;
        int d = run.Dimension;
        for (int k = 0; k < correctorSteps; k++)
        {
            run.View.Score(x, s, score);
            run.Noise.Fill(s, s, z);
            // Song et al.'s rule reads the norms of one sample: per point of the batch.
            for (int p = 0; p < run.Count; p++)
            {
                var xp = x.AsSpan(p * d, d);
                var sp = score.AsSpan(p * d, d);
                var zp = z.AsSpan(p * d, d);
                double scoreNorm = Norm(sp);
                // A zero score (a stationary point) leaves nothing to correct: epsilon = 0 instead of 0/0.
                double ratio = stepSize == LangevinStepSize.Fixed ? sigma : scoreNorm == 0 ? 0 : Norm(zp) / scoreNorm;
                double epsilon = 2 * a * Math.Pow(snr * ratio, 2) * shrink;
                StepMath.AddScaled(xp, epsilon, sp);
                StepMath.AddScaled(xp, Math.Sqrt(2 * epsilon), zp);
            }
        }
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double sum = 0;
        foreach (double e in v) sum += e * e;
        return Math.Sqrt(sum);
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Score = new double[length], Z = new double[length];
    }
}
