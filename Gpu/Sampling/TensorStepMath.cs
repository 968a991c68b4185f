using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Shared pieces of the step formulas, written as in Numerics' StepMath so both sides round alike; the scalar coefficients live in Numerics' StepCoefficients.</summary>
public static class TensorStepMath
{
    /// <summary>PF-ODE drift F(x, t) = f(t) x - (1/2) g2(t) s(x, t) (S5.2-S5.3).</summary>
    public static Tensor OdeDrift(TensorSamplingRun run, Tensor x, double t) => ReverseDrift(run, x, t, 0.0);

    /// <summary>f x - (1 + c)/2 g2 s: c = 1 the reverse SDE (S5.1), c = 0 the ODE (C3.5).</summary>
    public static Tensor ReverseDrift(TensorSamplingRun run, Tensor x, double t, double noiseShare)
    {
        ArgumentNullException.ThrowIfNull(run);
        var score = run.View.Score(x, t);
        double f = run.Schedule.Drift(t), g2 = run.Schedule.G2(t);
        return x.Times(f) - score.Times(0.5 * (1.0 + noiseShare) * g2);
    }
}
