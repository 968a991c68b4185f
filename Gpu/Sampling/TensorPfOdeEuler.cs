using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Probability-flow ODE, explicit Euler (S5.2, [43]), batched: x_{i-1} = x_i - h [f x_i - (1/2) g2 s]. Order 1.</summary>
public sealed class TensorPfOdeEuler : TensorSampler
{
    /// <inheritdoc/>
    public override string Name => "pf-ode-euler";

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        return x - TensorStepMath.OdeDrift(run, x, t) * (t - s);
    }
}
