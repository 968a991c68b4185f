using TorchSharp;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>DPM-Solver++(2M), multistep data-prediction form (S5.7), batched: D = (1 + 1/(2r)) x0(x, t) - (1/(2r)) x0_prev,
/// r = (lambda_t - lambda_prev)/h, x_s = DataForm(t -&gt; s, D); first order on the first step and at sigma_s = 0.
/// The previous prediction is kept by the run, outside the step scopes.</summary>
public sealed class TensorDpmSolverPlusPlus2M : TensorSampler
{
    /// <inheritdoc/>
    public override string Name => "dpm-solver++(2m)";

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var sch = run.Schedule;
        var x0 = run.View.Data(x, t);
        var combined = x0;
        if (run.Previous is { } previous && sch.Sigma(s) > 0)
        {
            double r = StepCoefficients.MultistepRatio(sch, previous.Time, t, s);
            combined = x0.Times(1 + 0.5 / r) - previous.Prediction.Times(0.5 / r);
        }
        var next = TensorExponentialSteps.DataForm(sch, t, s, x, combined);
        run.SetPrevious(t, x0);
        return next;
    }
}
