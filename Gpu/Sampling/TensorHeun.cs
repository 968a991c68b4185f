namespace Verified.Gpu;

/// <summary>Heun on the PF-ODE (S5.3, [44]-[47]), batched: k1 = F(x_i, t_i), k2 = F(x_i - h k1, t_{i-1}),
/// x_{i-1} = x_i - (h/2)(k1 + k2); Euler on a final step to sigma = 0, as in Numerics' Heun. Order 2.</summary>
public sealed class TensorHeun() : TensorRungeKuttaSampler(Numerics.ButcherTableau.Heun, TensorOdeTerm.ProbabilityFlow)
{
    /// <inheritdoc/>
    public override string Name => "heun";
}
