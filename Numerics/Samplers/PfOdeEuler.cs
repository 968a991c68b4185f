namespace Verified.Numerics;

/// <summary>Probability-flow ODE, explicit Euler (S5.2, [43]): x_{i-1} = x_i - h [f x_i - (1/2) g2 s(x_i, t_i)]. Order 1.</summary>
public sealed class PfOdeEuler() : RungeKuttaSampler("pf-ode-euler", "S5.2 [43]", ButcherTableau.Euler, OdeTerm.ProbabilityFlow);
