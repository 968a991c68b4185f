namespace Verified.Numerics;

/// <summary>
/// DDIM(eta) (S7.9, [84]-[87]): x0^ = (x_t - sigma_t eps)/alpha_t;
/// x_s = alpha_s x0^ + sqrt(sigma_s^2 - sigma_eta^2) eps + sigma_eta z, with
/// sigma_eta^2 = eta^2 sigma_s^2 (1 - (alpha_t sigma_s)^2 / (alpha_s sigma_t)^2) = -eta^2 sigma_s^2 expm1(-2h).
/// </summary>
/// <remarks>For VP schedules this sigma_eta is exactly S7.9's eta sqrt((1-abar_s)/(1-abar_t)) sqrt(1 - abar_t/abar_s);
/// written in lambda it holds for every schedule (it is the posterior variance of x_s given x_t and x0, scaled by eta^2).
/// eta = 0 is DPM-Solver-1 (C7.10); eta = 1 is DDPM ancestral with beta~ (C7.11). Stochastic samplers draw one
/// z per step, the last included, so that eta = 1 and DDPM consume identical noise.</remarks>
public sealed class Ddim : Sampler
{
    private readonly double eta;

    /// <summary>DDIM with the given eta.</summary>
    /// <param name="eta">in [0, 1]; 0 is deterministic.</param>
    public Ddim(double eta)
    {
        Check.InRange(eta, 0.0, 1.0, nameof(eta));
        this.eta = eta;
        Info = new(FormattableString.Invariant($"ddim(eta={eta:R})"), "S7.9 [84]-[87]", IsStochastic: eta > 0,
            StrongOrder: eta > 0 ? null : 1, WeakOrder: 1, EvaluationsPerStep: 1);
    }

    /// <summary>eta.</summary>
    public double Eta => eta;

    /// <inheritdoc/>
    public override SamplerInfo Info { get; }

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var sch = run.Schedule;
        double alphaT = sch.Alpha(t), sigmaT = sch.Sigma(t), alphaS = sch.Alpha(s);
        var work = run.State(static length => new Work(length));
        var eps = work.Eps;
        var z = work.Z;
        run.View.Noise(x, t, eps);
        var (sigmaEta, noiseCoefficient) = StepCoefficients.Ddim(sch, t, s, eta);
        if (eta > 0) run.Noise.Fill(t, s, z); else z.AsSpan().Clear();
        for (int j = 0; j < x.Length; j++)
        {
            double x0 = (x[j] - sigmaT * eps[j]) / alphaT;
            x[j] = alphaS * x0 + noiseCoefficient * eps[j] + sigmaEta * z[j];
        }
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Eps = new double[length], Z = new double[length];
    }
}
