namespace Verified.Numerics;

/// <summary>
/// Heun's method on the PF-ODE (S5.3, [44]-[47]): k1 = F(x_i, t_i); xt = x_i - h k1; k2 = F(xt, t_{i-1});
/// x_{i-1} = x_i - (h/2)(k1 + k2). Order 2. Where sigma(t_{i-1}) = 0 the model cannot be evaluated, so the
/// step falls back to Euler (as EDM does).
/// </summary>
public sealed class Heun() : RungeKuttaSampler("heun", "S5.3 [44]-[47]", ButcherTableau.Heun, OdeTerm.ProbabilityFlow);
