using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Flow-matching Euler in generative time (S8.7), batched: t_gen = T - t, x += (t_gen' - t_gen) u(x, t_gen),
/// u = -v (C8.6), the velocity read at forward time T - t_gen as Numerics does.</summary>
public sealed class TensorFlowMatchingEuler : TensorSampler
{
    /// <inheritdoc/>
    public override string Name => "fm-euler";

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double horizon = run.Schedule.TMax;
        double from = horizon - run.Grid[i], to = horizon - run.Grid[i + 1];
        var u = -run.View.Velocity(x, horizon - from);
        return x + u * (to - from);
    }
}
