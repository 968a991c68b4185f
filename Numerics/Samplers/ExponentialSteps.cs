namespace Verified.Numerics;

/// <summary>
/// The first-order exponential-integrator steps that DPM-Solver (noise form, S5.6-S5.7) and DPM-Solver++
/// (data form) build on, in the half log-SNR lambda, with expm1 so that small steps lose nothing.
/// </summary>
public static class ExponentialSteps
{
    /// <summary>Noise form from t to s (C5.5 with eps frozen): out = (alpha_s/alpha_t) x - sigma_s (e^h - 1) eps,
    /// h = lambda_s - lambda_t; sigma_s = 0 gives its limit alpha_s x0^ (see <see cref="StepCoefficients.SigmaExpm1"/>).</summary>
    public static void NoiseForm(SamplingRun run, double t, double s, ReadOnlySpan<double> x, ReadOnlySpan<double> eps, Span<double> output)
    {
        var (ratio, phi) = StepCoefficients.NoiseForm(run.Schedule, t, s);
        for (int j = 0; j < x.Length; j++) output[j] = ratio * x[j] - phi * eps[j];
    }

    /// <summary>Data form from t to s (DPM-Solver++ first order): out = (sigma_s/sigma_t) x - alpha_s (e^{-h} - 1) x0,
    /// which at sigma_s = 0 (h = infinity) is alpha_s x0.</summary>
    public static void DataForm(SamplingRun run, double t, double s, ReadOnlySpan<double> x, ReadOnlySpan<double> x0, Span<double> output)
    {
        var (ratio, phi) = StepCoefficients.DataForm(run.Schedule, t, s);
        for (int j = 0; j < x.Length; j++) output[j] = ratio * x[j] - phi * x0[j];
    }

    /// <summary>One singlestep midpoint step in lambda (r = 1/2) in either form: read the prediction P at (x, t)
    /// (eps for the noise form, x0 for the data form); take the first-order step to u = lambda^-1(lambda_t + h/2) and
    /// re-read P there; then the first-order step from t to s with that P. A step ending at sigma_s = 0 (no midpoint)
    /// is the first-order step with P(x, t), as k-diffusion does.</summary>
    public static void MidpointStep(SamplingRun run, int i, double[] x, bool dataForm)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var work = run.State(static length => new Work(length));
        var prediction = work.Prediction;
        var mid = work.Mid;
        Read(run, dataForm, x, t, prediction);
        if (run.Schedule.Sigma(s) > 0)
        {
            double u = StepCoefficients.IntermediateTime(run.Schedule, t, s, 0.5);
            FirstOrder(run, dataForm, t, u, x, prediction, mid);
            Read(run, dataForm, mid, u, prediction);
        }
        FirstOrder(run, dataForm, t, s, x, prediction, x);
    }

    private static void Read(SamplingRun run, bool dataForm, ReadOnlySpan<double> x, double t, Span<double> output)
    {
        if (dataForm) run.View.Data(x, t, output); else run.View.Noise(x, t, output);
    }

    private static void FirstOrder(SamplingRun run, bool dataForm, double t, double s, ReadOnlySpan<double> x, ReadOnlySpan<double> prediction, Span<double> output)
    {
        if (dataForm) DataForm(run, t, s, x, prediction, output); else NoiseForm(run, t, s, x, prediction, output);
    }

    /// <summary>This sampler's work buffers for one run (n d each), made on its first step.</summary>
    private sealed class Work(int length)
    {
        public readonly double[] Prediction = new double[length], Mid = new double[length];
    }
}
