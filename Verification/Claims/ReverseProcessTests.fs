/// The reverse process (THEORY section 3) through its PDEs in reverse time tau = T - t:
/// q_tau = p_{T - tau} and the drift/diffusion of each reverse equation; derivatives by finite
/// differences of the implemented density and drifts. Sampler-level checks live in Claims.Samplers.
module Verified.Verification.Claims.ReverseProcessTests

open Expecto
open Verified.Theory
open Verified.Verification
open Verified.Verification.Generators
open Verified.Verification.Properties

/// Residuals (analytic, finite-difference) of d/du q = -div(b q) + (1/2) D Lap q for the oracle's path read in
/// reversed time u = T - t (reverse time tau, and also generative time t_gen of section 8), with b and D in u-labels.
let reversedTimeResiduals (oracle: MixtureOracle) (drift: float[] -> float -> float[]) (diffusion: float -> float) (x: float[]) (u: float) =
    let s = oracle.Schedule
    let horizon = s.TMax
    let pde = { Residuals.Density = (fun y v -> oracle.Density(y, horizon - v)); Residuals.Drift = drift; Residuals.Diffusion = diffusion }
    let t = horizon - u
    let dqdu = -oracle.Density(x, t) * oracle.TimeDerivativeLogDensity(x, t)
    Residuals.both pde dqdu x u (Residuals.spaceStep s t) (Residuals.timeStep s t)

/// The same at forward time t, for a reverse drift b(y, t) and coefficient D(t) written in forward-time labels.
let reverseResiduals (oracle: MixtureOracle) (drift: float[] -> float -> float[]) (diffusion: float -> float) (x: float[]) (t: float) =
    let horizon = oracle.Schedule.TMax
    reversedTimeResiduals oracle (fun y tau -> drift y (horizon - tau)) (fun tau -> diffusion (horizon - tau)) x (horizon - t)

/// Reverse-time drift -f y + (1/2)(g2 + gamma^2) s(y): gamma^2 = g2 is the reverse SDE (C3.2), 0 the ODE (C3.3).
let generalisedDrift (oracle: MixtureOracle) (gamma2: float -> float) (y: float[]) (t: float) =
    let s = oracle.Schedule
    let score = oracle.Score(y, t)
    let f, g2 = s.Drift t, s.G2 t
    Array.init y.Length (fun i -> -f * y[i] + 0.5 * (g2 + gamma2 t) * score[i])

let tests =
    testList "Claims.ReverseProcess" [
        testProp "[C3.1] q_tau = p_{T-tau} solves d/dtau q = div(f x q) - (1/2) g2 Lap q" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let drift (y: float[]) (u: float) = y |> Array.map (fun v -> -s.Drift u * v)
            Residuals.expectBoth (reverseResiduals oracle drift (fun u -> -s.G2 u) x t) "reverse density PDE"

        testProp "[C3.2] [CE.1] reverse SDE (drift -f y + g2 score, diffusion g2) has density path q_tau" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            Residuals.expectBoth (reverseResiduals oracle (generalisedDrift oracle s.G2) s.G2 x t) "reverse Fokker–Planck"

        testProp "[C3.3] [CD.1] reverse PF-ODE (drift -f y + (1/2) g2 score) has density path q_tau" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            Residuals.expectBoth (reverseResiduals oracle (generalisedDrift oracle (fun _ -> 0.0)) (fun _ -> 0.0) x t) "reverse continuity"

        testProp "[C3.5] generalised family: every gamma >= 0 gives density path q_tau" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) (noise: ExtraNoise) ->
            let oracle, t, x = oracleCase spec s f p
            let c, k = noise.C, noise.K
            let gamma2 (u: float) = c * s.G2 u + k
            Residuals.expectBoth (reverseResiduals oracle (generalisedDrift oracle gamma2) gamma2 x t) (sprintf "gamma^2 = %g g2 + %g" c k)
    ]
