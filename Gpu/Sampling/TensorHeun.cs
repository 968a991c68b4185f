using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Heun on the PF-ODE (S5.3, [44]-[47]), batched: k1 = F(x_i, t_i), k2 = F(x_i - h k1, t_{i-1}),
/// x_{i-1} = x_i - (h/2)(k1 + k2); Euler on a final step to sigma = 0, as in Numerics' Heun. Order 2.</summary>
public sealed class TensorHeun : TensorSampler
{
    /// <inheritdoc/>
    public override string Name => "heun";

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1], h = t - s;
        var k1 = TensorStepMath.OdeDrift(run, x, t);
        if (run.Schedule.Sigma(s) == 0) return x - k1 * h;
        var k2 = TensorStepMath.OdeDrift(run, x - k1 * h, s);
        return x - k1 * (0.5 * h) - k2 * (0.5 * h);
    }
}
