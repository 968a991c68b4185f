using TorchSharp;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>DDIM(eta) (S7.9, [84]-[87]), batched: x0^ = (x_t - sigma_t eps)/alpha_t,
/// x_s = alpha_s x0^ + sqrt(sigma_s^2 - sigma_eta^2) eps + sigma_eta z, with the coefficients of StepCoefficients.Ddim
/// (evaluated as (alpha_s / alpha_t) x + (c - alpha_s sigma_t / alpha_t) eps + sigma_eta z, as Numerics' BatchedSampling does).
/// Draws one z per step (the last included) when eta &gt; 0, as Numerics' Ddim does.</summary>
public sealed class TensorDdim : TensorSampler
{
    private readonly double eta;

    /// <summary>DDIM with the given eta.</summary>
    /// <param name="eta">in [0, 1].</param>
    public TensorDdim(double eta)
    {
        if (!(eta >= 0 && eta <= 1)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must lie in [0, 1]");
        this.eta = eta;
    }

    /// <inheritdoc/>
    public override string Name => $"ddim(eta={eta:R})";

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var sch = run.Schedule;
        double alphaT = sch.Alpha(t), sigmaT = sch.Sigma(t), alphaS = sch.Alpha(s);
        var eps = run.View.Noise(x, t);
        var (sigmaEta, noiseCoefficient) = StepCoefficients.Ddim(sch, t, s, eta);
        // alpha_s (x - sigma_t eps) / alpha_t + c eps, regrouped as one scaled copy and one in-place axpy
        var next = x.Times(alphaS / alphaT).PlusScaledInPlace(eps, noiseCoefficient - alphaS * sigmaT / alphaT);
        return eta > 0 ? next.PlusScaledInPlace(run.Noise.Next(t, s, x), sigmaEta) : next;
    }
}
