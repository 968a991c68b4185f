using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>The first-order exponential-integrator steps of DPM-Solver (noise form) and DPM-Solver++ (data form),
/// batched, with the coefficients of Numerics' StepCoefficients (shared with ExponentialSteps).</summary>
public static class TensorExponentialSteps
{
    /// <summary>(alpha_s/alpha_t) x - sigma_s (e^h - 1) eps, h = lambda_s - lambda_t.</summary>
    public static Tensor NoiseForm(Schedule schedule, double t, double s, Tensor x, Tensor eps)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var (ratio, phi) = StepCoefficients.NoiseForm(schedule, t, s);
        return x.Times(ratio) - eps.Times(phi);
    }

    /// <summary>(sigma_s/sigma_t) x - alpha_s (e^{-h} - 1) x0; alpha_s x0 at sigma_s = 0.</summary>
    public static Tensor DataForm(Schedule schedule, double t, double s, Tensor x, Tensor x0)
    {
        var (ratio, phi) = StepCoefficients.DataForm(schedule, t, s);
        return x.Times(ratio) - x0.Times(phi);
    }
}
