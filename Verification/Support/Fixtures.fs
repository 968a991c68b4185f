/// Data sets and a quadrature helper shared by several claim files (each used in more than one file, so none
/// lives in a claim file).
module Verified.Verification.Fixtures

open Verified.Theory

/// Fixed configurations for the Monte Carlo identities: a 2-D three-component mixture (one point mass).
let labelledMixture =
    GaussianMixture([| 0.3; 0.5; 0.2 |], [| [| -2.0; 0.5 |]; [| 1.5; 1.0 |]; [| 0.0; -2.0 |] |],
                    [| array2D [ [ 0.5; 0.2 ]; [ 0.2; 0.3 ] ]; array2D [ [ 0.2; 0.0 ]; [ 0.0; 0.6 ] ]; array2D [ [ 0.0; 0.0 ]; [ 0.0; 0.0 ] ] |],
                    [| 0; 1; 0 |])

let identityCases =
    [ Schedules.VpLinear(), 0.3, [| 0.4; -0.2 |]
      Schedules.Ve(0.01, 20.0), 0.35, [| 1.0; 0.5 |]
      Schedules.Follmer(), 0.5, [| -0.6; -0.3 |] ]

/// A 1-D two-component mixture (forward-process laws, C2.3).
let bimodal = GaussianMixture.Isotropic([| 0.3; 0.7 |], [| [| -2.0 |]; [| 1.5 |] |], [| 0.25; 0.5 |])

/// Probabilities of bins [edges_i, edges_i+1] of a 1-D density by composite Simpson (the independent route to the law).
let binProbabilities (density: float -> float) (edges: float[]) =
    edges |> Array.pairwise |> Array.map (fun (a, b) ->
        let n = 64
        let h = (b - a) / float n
        h / 3.0 * (density a + density b + Seq.sum (seq { for i in 1 .. n - 1 -> (if i % 2 = 1 then 4.0 else 2.0) * density (a + float i * h) })))

/// A correlated 2-D Gaussian: the samplers' exact output laws are Gaussian on it.
let gaussianData = GaussianMixture.Gaussian([| 0.5; -1.0 |], array2D [ [ 1.0; 0.3 ]; [ 0.3; 0.5 ] ])

/// A 2-D mixture with well separated, non-degenerate components and two classes.
let samplerMixture =
    GaussianMixture([| 0.35; 0.4; 0.25 |], [| [| -2.0; 0.0 |]; [| 2.0; 1.0 |]; [| 0.5; -2.5 |] |],
                    [| array2D [ [ 0.3; 0.1 ]; [ 0.1; 0.2 ] ]; array2D [ [ 0.2; 0.0 ]; [ 0.0; 0.4 ] ]; array2D [ [ 0.25; -0.05 ]; [ -0.05; 0.15 ] ] |],
                    [| 0; 1; 1 |])
