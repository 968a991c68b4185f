using TorchSharp;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>DPM-Solver-2, singlestep, midpoint in lambda (S5.7), batched: x_u = NoiseForm(t -&gt; u, eps(x, t)),
/// x_s = NoiseForm(t -&gt; s, eps(x_u, u)); first order on a step ending at sigma = 0. Order 2.</summary>
public sealed class TensorDpmSolver2 : TensorSampler
{
    /// <inheritdoc/>
    public override string Name => "dpm-solver-2";

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var eps = run.View.Noise(x, t);
        if (run.Schedule.Sigma(s) > 0)
        {
            double u = StepCoefficients.IntermediateTime(run.Schedule, t, s, 0.5);
            var mid = TensorExponentialSteps.NoiseForm(run.Schedule, t, u, x, eps);
            eps = run.View.Noise(mid, u);
        }
        return TensorExponentialSteps.NoiseForm(run.Schedule, t, s, x, eps);
    }
}
