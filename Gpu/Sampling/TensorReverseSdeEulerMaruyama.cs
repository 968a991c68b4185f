using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Reverse-SDE Euler–Maruyama (S5.1, [42]), batched:
/// x_{i-1} = x_i - h [f x_i - g2 s(x_i, t_i)] + g(t_i) sqrt(h) z. One draw per step.</summary>
public sealed class TensorReverseSdeEulerMaruyama : TensorSampler
{
    /// <inheritdoc/>
    public override string Name => "reverse-sde-em";

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1], h = t - s;
        var drift = TensorStepMath.ReverseDrift(run, x, t, 1.0);
        var z = run.Noise.Next(t, s, x);
        double g = Math.Sqrt(run.Schedule.G2(t));
        return (x - drift.Times(h)).Plus(z.Times(g * Math.Sqrt(h)));
    }
}
