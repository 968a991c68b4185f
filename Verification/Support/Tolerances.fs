/// Tolerances shared by several claim files (round-off, two float64 routes, the dense-posterior route, finite
/// differences in space and time, fine integrations) and the relative-error helpers. A threshold that belongs to one
/// check stays inline beside it, with a comment giving the reason for its value; false-alarm probabilities live in
/// Statistics.fs.
module Verified.Verification.Tolerances

/// Round-off level for identities that hold exactly in real arithmetic (rearranged float64 formulas).
let roundOff = 1e-10
/// Five-point finite differences with h ~ 1e-3 of the local scale: truncation ~ h^4, round-off ~ eps/h.
let finiteDifference = 1e-6
/// Central differences in time, where the scale changes fast near the ends of the domain.
let timeDifference = 1e-5
/// One closed form reached along two float64 routes (a product formula and a linear solve, a composition of flow
/// maps and the direct map): no differences, no iteration, but conditioning up to ~1e6 from the generators'
/// near-singular components and from 1/sigma near the data end, so a few thousand ulps.
let twoRoutes = 1e-9
/// A closed form against the dense-posterior route (responsibilities through log-sum-exp, one linear solve per
/// component, then an average): two more digits than twoRoutes go to the solves of near-singular components.
let densePosterior = 1e-7
/// A closed-form flow or ODE integral against a fine fixed-step or tight adaptive integration: the integrator's
/// truncation, not round-off, sets this.
let integrated = 1e-6

/// Relative distance ||a - b|| / max(||b||, floor) of two vectors.
let relativeError (floor: float) (a: float[]) (b: float[]) =
    let diff = Array.map2 (-) a b |> Array.sumBy (fun v -> v * v) |> sqrt
    let scale = b |> Array.sumBy (fun v -> v * v) |> sqrt
    diff / max scale floor

let relativeScalar (floor: float) (a: float) (b: float) = abs (a - b) / max (abs b) floor
