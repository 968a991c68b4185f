namespace Verified.Gpu;

/// <summary>Probability-flow ODE, explicit Euler (S5.2, [43]), batched: x_{i-1} = x_i - h [f x_i - (1/2) g2 s]. Order 1.</summary>
public sealed class TensorPfOdeEuler() : TensorRungeKuttaSampler(Numerics.ButcherTableau.Euler, TensorOdeTerm.ProbabilityFlow)
{
    /// <inheritdoc/>
    public override string Name => "pf-ode-euler";
}
