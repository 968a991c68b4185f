using Verified.Theory;

namespace Verified.Numerics;

/// <summary>Small shared pieces of step formulas (k-diffusion's to_d / get_ancestral_step), so each sampler
/// file holds only its own equation.</summary>
public static class StepMath
{
    /// <summary>PF-ODE drift F(x, t) = f(t) x - (1/2) g2(t) s(x, t) (S5.2-S5.3).</summary>
    public static void OdeDrift(SamplingRun run, ReadOnlySpan<double> x, double t, Span<double> output)
    {
        run.View.Score(x, t, output);
        double f = run.Schedule.Drift(t), g2 = run.Schedule.G2(t);
        for (int j = 0; j < x.Length; j++) output[j] = f * x[j] - 0.5 * g2 * output[j];
    }

    /// <summary>Reverse-SDE drift f x - (1 + c)/2 g2 s: c = 1 gives the reverse SDE (S5.1), c = 0 the ODE,
    /// and c = gamma^2/g2 the generalised family (C3.5).</summary>
    public static void ReverseDrift(SamplingRun run, ReadOnlySpan<double> x, double t, double noiseShare, Span<double> output)
    {
        run.View.Score(x, t, output);
        double f = run.Schedule.Drift(t), g2 = run.Schedule.G2(t);
        for (int j = 0; j < x.Length; j++) output[j] = f * x[j] - 0.5 * (1.0 + noiseShare) * g2 * output[j];
    }

    /// <summary>x += a * y.</summary>
    public static void AddScaled(Span<double> x, double a, ReadOnlySpan<double> y)
    {
        for (int j = 0; j < x.Length; j++) x[j] += a * y[j];
    }

    /// <summary>h = lambda(to) - lambda(from) &gt; 0 for a step towards less noise.</summary>
    public static double LambdaStep(SamplingRun run, double from, double to) => run.Schedule.Lambda(to) - run.Schedule.Lambda(from);

    /// <summary>sigma_s (e^h - 1) with h = lambda_s - lambda_t, written as alpha_s sigma_t / alpha_t - sigma_s when sigma_s = 0
    /// (lambda_s = infinity) and with expm1 otherwise (no cancellation for small h).</summary>
    public static double SigmaExpm1(SamplingRun run, double t, double s)
    {
        double sigmaS = run.Schedule.Sigma(s);
        if (sigmaS == 0) return run.Schedule.Alpha(s) * run.Schedule.Sigma(t) / run.Schedule.Alpha(t);
        return sigmaS * Numeric.ExpM1(StepMath.LambdaStep(run, t, s));
    }
}
