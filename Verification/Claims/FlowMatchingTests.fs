/// Flow matching and generative-time SDEs (THEORY section 8), generative time t_gen = T - t:
/// conditional and marginal velocities generate their paths (continuity residuals in t_gen), the
/// generative SDE's Fokker–Planck equation, and the FM ODE = reverse PF-ODE correspondence.
module Verified.Verification.Claims.FlowMatchingTests

open Expecto
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Generators
open Verified.Verification.Properties

/// Residuals of d/dtgen p = -div(b p) + (1/2) D Lap p: generative time is the reversed time T - t.
let generativeResiduals = ReverseProcessTests.reversedTimeResiduals

let private setup (mixture: GaussianMixture) (s: Schedule) (f: InteriorFraction) (p: PointSeed) =
    let oracle = MixtureOracle(mixture, s)
    let t = interiorTime s f.Value
    oracle, GenerativeView oracle, s.TMax - t, pointNear mixture s t p.Value

/// The generative SDE drift u + (1/2) gt2 score (C8.4), with u and score supplied (marginal or conditional).
let generativeSdeDrift (view: GenerativeView) (velocity: float[] -> float -> float[]) (score: float[] -> float -> float[]) (y: float[]) (tGen: float) =
    let u, sc, gt2 = velocity y tGen, score y tGen, view.DiffusionCoefficient2 tGen
    Array.init y.Length (fun i -> u[i] + 0.5 * gt2 * sc[i])

let tests =
    testList "Claims.FlowMatching" [
        testProp "[C8.1] [CD.1] conditional velocity u(x|x1) generates N(a x1, b^2 I) (continuity in generative time)" <| fun (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) (Normal2 z) ->
            let x1 = Array.map ((*) 2.0) z
            let oracle, view, tGen, x = setup (GaussianMixture.PointMasses([| 1.0 |], [| x1 |])) s f p
            Residuals.expectBoth (generativeResiduals oracle (fun y u -> view.ConditionalVelocity(y, u, x1)) (fun _ -> 0.0) x tGen) "conditional FM"

        testProp "[C8.2] [CD.1] marginal velocity u(x) generates the marginal path (continuity in generative time)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, view, tGen, x = setup (spec.Build()) s f p
            Residuals.expectBoth (generativeResiduals oracle (fun y u -> view.MarginalVelocity(y, u)) (fun _ -> 0.0) x tGen) "marginal FM"

        testProp "[C8.2] marginal velocity = E[u(x|x1) | x] with E[x1|x] from the dense posterior" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, view, tGen, x = setup (spec.Build()) s f p
            let mean = (Exact.Posterior(oracle.Mixture, s, x, s.TMax - tGen)).Mean
            Expect.isLessThan (Tolerances.relativeError 1.0 (view.MarginalVelocity(x, tGen)) (view.ConditionalVelocity(x, tGen, mean))) Tolerances.densePosterior "posterior average"

        testProp "[C8.4] gt2 = 2(a'/a) b^2 - 2 b b' equals the forward g2(T - t_gen) >= 0, and u = ft x + (1/2) gt2 score" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, view, tGen, x = setup (spec.Build()) s f p
            let gt2 = view.DiffusionCoefficient2 tGen
            Expect.isGreaterThanOrEqual gt2 0.0 "gt2 >= 0"
            Expect.isLessThan (Tolerances.relativeScalar 1.0 gt2 (s.G2(s.TMax - tGen))) Tolerances.twoRoutes "gt2 = g2"
            let score = view.Score(x, tGen)
            let ft = view.DriftCoefficient tGen
            let scoreForm = Array.init x.Length (fun i -> ft * x[i] + 0.5 * gt2 * score[i])
            Expect.isLessThan (Tolerances.relativeError 1.0 (view.MarginalVelocity(x, tGen)) scoreForm) Tolerances.densePosterior "u = ft x + gt2 s / 2"
            ignore oracle

        testProp "[C8.4] [CE.1] generative SDE dx = [u + (1/2) gt2 score] dt + gt dW generates p in generative time (marginal and conditional)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, view, tGen, x = setup (spec.Build()) s f p
            let drift = generativeSdeDrift view (fun y u -> view.MarginalVelocity(y, u)) (fun y u -> view.Score(y, u))
            Residuals.expectBoth (generativeResiduals oracle drift view.DiffusionCoefficient2 x tGen) "marginal generative SDE"
            let x1 = oracle.Mixture.Mean 0
            let condOracle = MixtureOracle(GaussianMixture.PointMasses([| 1.0 |], [| x1 |]), s)
            let condView = GenerativeView condOracle
            let condDrift = generativeSdeDrift condView (fun y u -> condView.ConditionalVelocity(y, u, x1)) (fun y u -> condView.Score(y, u))
            let xc = pointNear condOracle.Mixture s (s.TMax - tGen) p.Value
            Residuals.expectBoth (generativeResiduals condOracle condDrift condView.DiffusionCoefficient2 xc tGen) "conditional generative SDE"

        testProp "[C8.6] FM velocity u(x, T - t) = -v_t(x), the reverse PF-ODE velocity" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, view, tGen, x = setup (spec.Build()) s f p
            let v = oracle.Velocity(x, s.TMax - tGen)
            Expect.isLessThan (Tolerances.relativeError 1.0 (view.MarginalVelocity(x, tGen)) (v |> Array.map (fun c -> -c))) Tolerances.densePosterior "u = -v"

        testCase "[C8.6] [S8.7] fm-euler and fm-heun take Euler and Heun steps in generative time along the FM velocity (b'/b)(x - a x1hat) + a' x1hat (irregular grids)" <| fun () ->
            // Replaces 'FM Euler/Heun = PF-ODE Euler/Heun': both samplers read the same ModelView velocity, so that
            // equality held by construction. Here each step is recomputed from GenerativeView.MarginalVelocity (the
            // FM formula through the posterior mean E[x1 | x], Theory), with t_gen = T - t; the grid's step ratios
            // vary so a step taken with the wrong interval or endpoint shows.
            for s in [ Schedules.VpLinear(); Schedules.LinearInterpolant(); Schedules.Edm() ] do
                let oracle = MixtureOracle(Fixtures.labelledMixture, s)
                let view = GenerativeView oracle
                let t0, t1 = s.TMin + 0.95 * (s.TMax - s.TMin), s.TMin + 0.01 * (s.TMax - s.TMin)
                let times = Array.init 31 (fun k -> let u = float k / 30.0 in t0 + (t1 - t0) * (u + 0.15 * sin (7.0 * u) * u * (1.0 - u)))
                let grid = TimeGrid times
                let u (x: float[]) (tGen: float) = view.MarginalVelocity(x, tGen)
                let euler (x: float[]) (a: float) (b: float) = let k1 = u x a in Array.init x.Length (fun j -> x[j] + (b - a) * k1[j])
                let heun (x: float[]) (a: float) (b: float) =
                    let k1 = u x a
                    let k2 = u (Array.init x.Length (fun j -> x[j] + (b - a) * k1[j])) b
                    Array.init x.Length (fun j -> x[j] + 0.5 * (b - a) * (k1[j] + k2[j]))
                for sampler, step in [ FlowMatchingEuler() :> Sampler, euler; FlowMatchingHeun(), heun ] do
                    let path = ResizeArray [ [| 0.7; -0.4 |] ]
                    sampler.Sample(OracleModel oracle, System.ReadOnlySpan [| 0.7; -0.4 |], grid, ZeroNoise.Instance,
                                   StepCallback(fun _ _ x -> path.Add(x.ToArray()))) |> ignore
                    Expect.equal path.Count times.Length (sprintf "%s: one state per grid point" sampler.Info.Name)
                    for k in 0 .. times.Length - 2 do
                        let expected = step path[k] (s.TMax - times[k]) (s.TMax - times[k + 1])
                        Expect.isLessThan (Tolerances.relativeError 1.0 path[k + 1] expected) Tolerances.twoRoutes (sprintf "%s on %s, step %d" sampler.Info.Name s.Name k)
    ]
