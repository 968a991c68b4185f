namespace Verified.Gpu;

/// <summary>Flow-matching Euler in generative time (S8.7), batched: t_gen = T - t, x += (t_gen' - t_gen) u(x, t_gen),
/// u = -v (C8.6), the velocity read at forward time T - t_gen as Numerics does.</summary>
public sealed class TensorFlowMatchingEuler() : TensorRungeKuttaSampler(Numerics.ButcherTableau.Euler, TensorOdeTerm.FlowMatching)
{
    /// <inheritdoc/>
    public override string Name => "fm-euler";
}
