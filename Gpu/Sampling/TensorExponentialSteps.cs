using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>The first-order exponential-integrator steps of DPM-Solver (noise form) and DPM-Solver++ (data form),
/// batched, with the coefficients computed exactly as Numerics' ExponentialSteps does.</summary>
public static class TensorExponentialSteps
{
    /// <summary>(alpha_s/alpha_t) x - sigma_s (e^h - 1) eps, h = lambda_s - lambda_t.</summary>
    public static Tensor NoiseForm(Schedule schedule, double t, double s, Tensor x, Tensor eps)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double ratio = schedule.Alpha(s) / schedule.Alpha(t);
        return x * ratio - eps * TensorStepMath.SigmaExpm1(schedule, t, s);
    }

    /// <summary>(sigma_s/sigma_t) x - alpha_s (e^{-h} - 1) x0; alpha_s x0 at sigma_s = 0.</summary>
    public static Tensor DataForm(Schedule schedule, double t, double s, Tensor x, Tensor x0)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double sigmaS = schedule.Sigma(s);
        double ratio = sigmaS / schedule.Sigma(t);
        double phi = sigmaS == 0 ? -schedule.Alpha(s) : schedule.Alpha(s) * Numeric.ExpM1(-(schedule.Lambda(s) - schedule.Lambda(t)));
        return x * ratio - x0 * phi;
    }

    /// <summary>u with lambda(u) = lambda_t + r (lambda_s - lambda_t).</summary>
    public static double IntermediateTime(Schedule schedule, double t, double s, double r)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double lambdaT = schedule.Lambda(t);
        return schedule.LambdaInverse(lambdaT + r * (schedule.Lambda(s) - lambdaT));
    }
}
