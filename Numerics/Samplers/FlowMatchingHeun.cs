namespace Verified.Numerics;

/// <summary>
/// Flow-matching Heun in generative time (S8.7): k1 = u(x, t_gen); k2 = u(x + dt k1, t_gen + dt);
/// x' = x + (dt/2)(k1 + k2), with u = -v (C8.6). Order 2. Where the step ends at sigma = 0 the model cannot be
/// evaluated there, so that step is Euler (as in EDM).
/// </summary>
public sealed class FlowMatchingHeun() : RungeKuttaSampler("fm-heun", "S8.7 [97]-[100]", ButcherTableau.Heun, OdeTerm.FlowMatching);
