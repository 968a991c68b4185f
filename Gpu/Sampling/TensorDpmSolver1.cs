using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>DPM-Solver-1 (S5.6, [51]), batched: x_s = (alpha_s/alpha_t) x_t - sigma_s (e^h - 1) eps(x_t, t). Order 1.</summary>
public sealed class TensorDpmSolver1 : TensorSampler
{
    /// <inheritdoc/>
    public override string Name => "dpm-solver-1";

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var eps = run.View.Noise(x, t);
        return TensorExponentialSteps.NoiseForm(run.Schedule, t, s, x, eps);
    }
}
