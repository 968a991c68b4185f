namespace Verified.Numerics;

/// <summary>
/// Flow-matching Euler in generative time (S8.7): x_{t_gen + dt} = x + dt u_{t_gen}(x), dt = t_gen' - t_gen &gt; 0,
/// with u = -v (C8.6). Takes the usual decreasing forward-time grid and steps t_gen = T - t upwards. Order 1.
/// </summary>
public sealed class FlowMatchingEuler() : RungeKuttaSampler("fm-euler", "S8.7 [97]-[100]", ButcherTableau.Euler, OdeTerm.FlowMatching);
