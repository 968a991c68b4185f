/// PDE residuals as functions returning a number, so that a claim's test and its negative control
/// run the same check (the control feeds a deliberately wrong velocity, drift or schedule).
/// Spatial derivatives always come from finite differences of the implemented fields, never from
/// the closed form under test (CD.1, CE.1).
module Verified.Verification.Residuals

/// A density path with a drift and a scalar diffusion coefficient:
/// d/dt p = -div(b p) + (1/2) D(t) Lap p. D = 0 is the continuity equation of the velocity b.
type Pde =
    { Density: float[] -> float -> float
      Drift: float[] -> float -> float[]
      Diffusion: float -> float }

/// Relative residual |dp/dt + div(b p) - (D/2) Lap p| / (|dp/dt| + |div(b p)| + |(D/2) Lap p|),
/// with div and Lap by five-point differences of the implemented b and p at spatial step hx.
let relative (pde: Pde) (dpdt: float) (x: float[]) (t: float) (hx: float) =
    let flux y = let p = pde.Density y t in pde.Drift y t |> Array.map (fun b -> b * p)
    let divFlux = Differences.divergence flux x hx
    let diffusion = 0.5 * pde.Diffusion t * Differences.laplacian (fun y -> pde.Density y t) x hx
    let scale = abs dpdt + abs divFlux + abs diffusion
    abs (dpdt + divFlux - diffusion) / max scale 1e-300

/// d/dt p by five-point differences of the density in t (step ht).
let timeDerivative (density: float[] -> float -> float) (x: float[]) (t: float) (ht: float) =
    Differences.derivative (fun u -> density x u) t ht

/// The two residuals of a claim: with d/dt p from the analytic time derivative, and from finite differences in t.
let both (pde: Pde) (analyticDpdt: float) (x: float[]) (t: float) (hx: float) (ht: float) =
    relative pde analyticDpdt x t hx, relative pde (timeDerivative pde.Density x t ht) x t hx

/// A forward-time step small against the distance to both ends of the schedule's domain.
let timeStep (s: Verified.Theory.Schedule) (t: float) = 1e-4 * min (t - s.TMin) (s.TMax - t) |> max 1e-9
/// A spatial step small against the narrowest scale of p_t: at least sigma(t) near a mode, but sigma^2 / r at a
/// distance r in the tail, so the step stays well below sigma (the same step serves the Laplacian: its round-off
/// eps / h^2 is still ~1e-10 of the Laplacian's scale).
let spaceStep (s: Verified.Theory.Schedule) (t: float) = 1e-3 * max (s.Sigma t) 1e-4

/// Tolerance for a PDE residual built from five-point differences (first and second derivatives).
let tolerance = 1e-5

/// Asserts both residuals of a claim (analytic and finite-difference time derivative) are below the tolerance.
let expectBoth (analytic: float, byDifferences: float) (what: string) =
    Expecto.Expect.isLessThan analytic tolerance (sprintf "%s residual with the analytic time derivative" what)
    Expecto.Expect.isLessThan byDifferences tolerance (sprintf "%s residual with the finite-difference time derivative" what)
