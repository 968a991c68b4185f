/// Likelihood by the instantaneous change of variables along the PF-ODE (THEORY CL.1): the computed
/// log p_tmin(x) against the oracle's exact log-density, the latent and divergence integral against
/// the closed-form flow map of Gaussian data, and Hutchinson's estimator's unbiasedness.
module Verified.Verification.Claims.LikelihoodTests

open Expecto
open MathNet.Numerics.LinearAlgebra
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Statistics

let private tMin, tMax = 0.01, 1.0
let private points = [ [| 0.3; -0.4 |]; [| -1.8; 0.2 |]; [| 2.1; 1.3 |] ]

/// CL.1: the mean of Hutchinson estimates over independent probes equals the exact-trace log-likelihood.
let hutchinsonCheck =
    { Name = "[CL.1] Hutchinson's trace estimator gives an unbiased log-likelihood (mean over 400 probes vs the exact trace)"
      Alpha = checkAlpha
      Run = fun seed ->
        let model = OracleModel(Fixtures.samplerMixture, Schedules.VpLinear())
        let ps =
            points |> List.mapi (fun c x ->
                let exact = (PfOdeLikelihood.Compute(model, x, tMin, tMax)).LogDensity
                let estimates = Array.Parallel.init 400 (fun i ->
                    (PfOdeLikelihood.Compute(model, x, tMin, tMax, DivergenceMethod.Hutchinson, Xoshiro256.Derive(seed, uint64 (1000 * c + i)))).LogDensity)
                meanTest exact estimates)
        outcome (bonferroni ps) (sprintf "per-point p %A" ps) }

let tests =
    testList "Claims.Likelihood" [
        testCase "[CL.1] PF-ODE log-likelihood equals the oracle's exact log p_tmin (mixture data, VP and VE)" <| fun () ->
            for s in [ Schedules.VpLinear(); Schedules.Ve(0.01, 20.0) ] do
                let model = OracleModel(Fixtures.samplerMixture, s)
                for x in points do
                    let r = PfOdeLikelihood.Compute(model, x, tMin, tMax)
                    // the log density is an ODE integral (state and divergence) from tMin to tMax: its solver error, not round-off, sets this
                    Expect.isLessThan (abs (r.LogDensity - model.Oracle.LogDensity(x, tMin))) 1e-5 (sprintf "%s at %A" s.Name x)

        testCase "[CL.1] Gaussian data: latent = flow map and divergence integral = log |det| of the flow-map matrix" <| fun () ->
            let s = Schedules.VpLinear()
            let model = OracleModel(Fixtures.gaussianData, s)
            let data = GaussianFlow(Fixtures.gaussianData, s)
            let a, _ = data.FlowMapMatrix(tMin, tMax)
            let logDet = Matrix<float>.Build.DenseOfArray(a).Determinant() |> abs |> log
            for x in points do
                let r = PfOdeLikelihood.Compute(model, x, tMin, tMax)
                Expect.isLessThan (Tolerances.relativeError 1.0 r.Latent (data.FlowMap(x, tMin, tMax))) Tolerances.integrated "latent"
                Expect.isLessThan (abs (r.DivergenceIntegral - logDet)) Tolerances.integrated "divergence integral"
    ]

let statistical = statList "Claims.Likelihood" [ hutchinsonCheck ]
