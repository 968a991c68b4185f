namespace Verified.Numerics;

/// <summary>Small shared pieces of step formulas (k-diffusion's to_d / get_ancestral_step), so each sampler
/// file holds only its own equation.</summary>
public static class StepMath
{
    /// <summary>Reverse-SDE drift f x - (1 + c)/2 g2 s: c = 1 gives the reverse SDE (S5.1), c = 0 the PF-ODE drift (S5.2-S5.3, <see cref="OdeTerm.ProbabilityFlow"/>),
    /// and c = gamma^2/g2 the generalised family (C3.5).</summary>
    public static void ReverseDrift(SamplingRun run, ReadOnlySpan<double> x, double t, double noiseShare, Span<double> output)
    {
        // f and g2 from the conversion's own coefficients: a VP schedule's closed forms once per evaluation, not twice
        var (f, g2) = run.View.ScoreWithDriftAndG2(x, t, output);
        for (int j = 0; j < x.Length; j++) output[j] = f * x[j] - 0.5 * (1.0 + noiseShare) * g2 * output[j];
    }

    /// <summary>x += a * y.</summary>
    public static void AddScaled(Span<double> x, double a, ReadOnlySpan<double> y)
    {
        for (int j = 0; j < x.Length; j++) x[j] += a * y[j];
    }
}
