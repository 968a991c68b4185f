/// Tolerances shared by several claim files (round-off, finite differences in space and time) and the relative-error
/// helpers. A threshold that belongs to one check stays inline beside it with the reason for its value; false-alarm
/// probabilities live in Statistics.fs.
module Verified.Verification.Tolerances

/// Round-off level for identities that hold exactly in real arithmetic (rearranged float64 formulas).
let roundOff = 1e-10
/// Five-point finite differences with h ~ 1e-3 of the local scale: truncation ~ h^4, round-off ~ eps/h.
let finiteDifference = 1e-6
/// Central differences in time, where the scale changes fast near the ends of the domain.
let timeDifference = 1e-5

/// Relative distance ||a - b|| / max(||b||, floor) of two vectors.
let relativeError (floor: float) (a: float[]) (b: float[]) =
    let diff = Array.map2 (-) a b |> Array.sumBy (fun v -> v * v) |> sqrt
    let scale = b |> Array.sumBy (fun v -> v * v) |> sqrt
    diff / max scale floor

let relativeScalar (floor: float) (a: float) (b: float) = abs (a - b) / max (abs b) floor
