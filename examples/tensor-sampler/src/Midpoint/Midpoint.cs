using TorchSharp;
using Verified.Gpu;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Example;

/// <summary>
/// The explicit midpoint rule (two-stage Runge-Kutta) on the probability-flow ODE over tensors x [n, d], stepping from
/// t to s = t - h (h &gt; 0) with the PF-ODE drift F:
/// k1 = F(x, t); k2 = F(x - (h/2) k1, t - h/2); x' = x - h k2. Order 2, two model calls per step.
/// Verified does not ship it; this repository verifies it with Verified's packages.
/// </summary>
public sealed class Midpoint : TensorSampler
{
    private readonly bool bug;

    /// <summary>The midpoint rule. The deliberate bug is switched on by the environment variable TENSOR_MIDPOINT_BUG=1.</summary>
    public Midpoint() : this(Environment.GetEnvironmentVariable("TENSOR_MIDPOINT_BUG") == "1") { }

    /// <summary>The midpoint rule, or with <paramref name="bug"/> the wrong variant: the second stage is evaluated at time
    /// t instead of the midpoint t - h/2, which loses the F_t term of the local Taylor expansion and drops the order to 1.</summary>
    public Midpoint(bool bug) => this.bug = bug;

    /// <inheritdoc/>
    public override string Name => "example-midpoint";

    /// <summary>What this sampler promises: deterministic, strong and weak order 2, two model calls per step.</summary>
    public override SamplerInfo? Declaration { get; } = new("example-midpoint", "explicit midpoint (RK2) on the PF-ODE",
        IsStochastic: false, StrongOrder: 2, WeakOrder: 2, EvaluationsPerStep: 2);

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double t = run.Grid[i], h = t - run.Grid[i + 1];
        var k1 = TensorStepMath.OdeDrift(run, x, t);
        double tStage = bug ? t : t - 0.5 * h; // the deliberate bug is the `bug ? t :` (run.sh)
        // k1.Times(c) rather than k1 * c: Verified.Gpu.Scalars keeps the Scalar alive through libtorch's call
        // (TorchSharp 0.107 may free an operator's temporary Scalar while libtorch reads it; docs/GPU.md, "Scalars")
        var k2 = TensorStepMath.OdeDrift(run, x - k1.Times(0.5 * h), tStage);
        return x - k2.Times(h);
    }
}
