/// The forward process (THEORY sections 1-2): conditional and marginal score, ODE velocity and SDE,
/// checked through their PDEs (continuity CD.1, Fokker–Planck CE.1) with finite differences of the
/// implemented density and velocity, and through Monte Carlo of the defining equations.
module Verified.Verification.Claims.ForwardProcessTests

open Expecto
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Fixtures
open Verified.Verification.Generators
open Verified.Verification.Properties
open Verified.Verification.Statistics

/// p_t(. | x0) as an oracle: the mixture with one point mass at x0.
let conditionalOracle (x0: float[]) (s: Schedule) = MixtureOracle(GaussianMixture.PointMasses([| 1.0 |], [| x0 |]), s)

/// C1.2: the conditional velocity as implemented (Parameterisation: v = alpha' x0 + (sigma'/sigma)(x - alpha x0)).
let conditionalVelocity (s: Schedule) (x0: float[]) (x: float[]) (t: float) = Parameterisation.DataToVelocity(s, x, x0, t)

/// Continuity residuals (analytic d/dt, finite-difference d/dt) of a density path and a velocity.
let continuityResiduals (oracle: MixtureOracle) (velocity: float[] -> float -> float[]) (x: float[]) (t: float) =
    let s = oracle.Schedule
    let pde = { Residuals.Density = (fun y u -> oracle.Density(y, u)); Residuals.Drift = velocity; Residuals.Diffusion = fun _ -> 0.0 }
    Residuals.both pde (oracle.Density(x, t) * oracle.TimeDerivativeLogDensity(x, t)) x t (Residuals.spaceStep s t) (Residuals.timeStep s t)

/// Fokker–Planck residuals of the forward SDE dx = f x dt + g dW (drift f x, diffusion g2) on a density path.
let fokkerPlanckResiduals (oracle: MixtureOracle) (drift: float[] -> float -> float[]) (diffusion: float -> float) (x: float[]) (t: float) =
    let s = oracle.Schedule
    let pde = { Residuals.Density = (fun y u -> oracle.Density(y, u)); Residuals.Drift = drift; Residuals.Diffusion = diffusion }
    Residuals.both pde (oracle.Density(x, t) * oracle.TimeDerivativeLogDensity(x, t)) x t (Residuals.spaceStep s t) (Residuals.timeStep s t)

let forwardDrift (s: Schedule) (x: float[]) (t: float) = let f = s.Drift t in x |> Array.map (fun v -> f * v)

/// C1.4 by simulation: Euler–Maruyama paths of dx = f x dt + g dW from a fixed x0 (fine steps) against
/// N(alpha x0, sigma^2 I): per coordinate a mean z-test, a variance chi-square test and a KS test.
let conditionalSdeCheck (schedule: Schedule) (steps: int) =
    { Name = sprintf "[C1.4] conditional SDE from x0 has law N(alpha x0, sigma^2 I) at t = 0.5 (%s, EM %d steps, KS/mean/variance)" schedule.Name steps
      Alpha = checkAlpha
      Run = fun seed ->
        let x0 = [| 1.5; -0.5 |]
        let tEnd = 0.5
        let h = tEnd / float steps
        let paths =
            Exact.drawMany 20_000 seed (fun rng ->
                let x = Array.copy x0
                for k in 0 .. steps - 1 do
                    let t = float k * h
                    let f, g = schedule.Drift t, sqrt (schedule.G2 t)
                    for i in 0 .. 1 do x[i] <- x[i] + f * x[i] * h + g * sqrt h * rng.NextGaussian()
                x)
        let a, sg = schedule.Alpha tEnd, schedule.Sigma tEnd
        let ps =
            [ for i in 0 .. 1 do
                let xs = paths |> Array.map (fun v -> v[i])
                let m = a * x0[i]
                yield meanTestKnownVariance m (sg * sg) xs
                yield gaussianVarianceTest (sg * sg) xs
                yield ksOneSample (fun v -> MathNet.Numerics.Distributions.Normal.CDF(m, sg, v)) xs ]
        outcome (bonferroni ps) (sprintf "p-values %A" ps) }

/// C2.3 by simulation: x_t = alpha x0 + sigma eps from a 1-D mixture, binned, against the oracle's mixture
/// density integrated over the bins (chi-square goodness of fit; outer bins absorb the tails).
let marginalLawCheck (mixture: GaussianMixture) (schedule: Schedule) (t: float) (name: string) =
    { Name = name
      Alpha = checkAlpha
      Run = fun seed ->
        let oracle = MixtureOracle(mixture, schedule)
        let xs = Exact.drawMany 20_000 seed (fun rng -> (Exact.drawForward mixture schedule t rng)[0])
        let m = (Exact.marginalMean mixture schedule t)[0]
        let sd = sqrt (Exact.marginalCovariance mixture schedule t).[0, 0]
        let edges = Array.init 21 (fun i -> m + sd * (-3.0 + 0.3 * float i))
        let inner = binProbabilities (fun v -> oracle.Density([| v |], t)) edges
        let lower = (binProbabilities (fun v -> oracle.Density([| v |], t)) [| m - 12.0 * sd; edges[0] |])[0]
        let upper = 1.0 - lower - Array.sum inner
        let probs = Array.concat [ [| lower |]; inner; [| upper |] ]
        let counts = Array.zeroCreate probs.Length
        for x in xs do
            let bin = if x < edges[0] then 0 elif x >= edges[20] then 21 else 1 + min 19 (int ((x - edges[0]) / (0.3 * sd)))
            counts[bin] <- counts[bin] + 1
        let p = chiSquareGof counts probs
        outcome p (sprintf "counts %A" counts) }

let tests =
    testList "Claims.ForwardProcess" [
        testProp "[C1.1] conditional score = -(x - alpha x0)/sigma^2 and = gradient of log p_t(x|x0) by differences" <| fun (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) (Normal3 z) ->
            let x0 = Array.map ((*) 2.0) z
            let oracle = conditionalOracle x0 s
            let t = interiorTime s f.Value
            let x = pointNear oracle.Mixture s t p.Value
            let a, sg = s.Alpha t, s.Sigma t
            let closed = Array.init 3 (fun i -> -(x[i] - a * x0[i]) / (sg * sg))
            let score = oracle.Score(x, t)
            // a one-component oracle against its closed form: ulps times the 1/sigma^2 scale
            Expect.isLessThan (Tolerances.relativeError 1.0 score closed) 1e-10 "closed form"
            let fd = Differences.gradient (fun y -> oracle.LogDensity(y, t)) x (Residuals.spaceStep s t)
            Expect.isLessThan (Tolerances.relativeError 1.0 score fd) Tolerances.finiteDifference "finite differences"

        testProp "[C1.2] [CD.1] conditional velocity solves the continuity equation of p_t(x|x0)" <| fun (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) (Normal2 z) ->
            let x0 = Array.map ((*) 2.0) z
            let oracle = conditionalOracle x0 s
            let t = interiorTime s f.Value
            let x = pointNear oracle.Mixture s t p.Value
            Residuals.expectBoth (continuityResiduals oracle (conditionalVelocity s x0) x t) "continuity"

        testProp "[C1.3] conditional velocity = f x - (1/2) g2 grad log p_t(x|x0)" <| fun (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) (Normal3 z) ->
            let x0 = Array.map ((*) 2.0) z
            let oracle = conditionalOracle x0 s
            let t = interiorTime s f.Value
            let x = pointNear oracle.Mixture s t p.Value
            let score = oracle.Score(x, t)
            let scoreForm = Array.init 3 (fun i -> s.Drift t * x[i] - 0.5 * s.G2 t * score[i])
            Expect.isLessThan (Tolerances.relativeError 1.0 (conditionalVelocity s x0 x t) scoreForm) Tolerances.twoRoutes "score form"

        testProp "[C1.4] [CE.1] p_t(x|x0) solves the Fokker–Planck equation of dx = f x dt + g dW" <| fun (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) (Normal2 z) ->
            let x0 = Array.map ((*) 2.0) z
            let oracle = conditionalOracle x0 s
            let t = interiorTime s f.Value
            let x = pointNear oracle.Mixture s t p.Value
            Residuals.expectBoth (fokkerPlanckResiduals oracle (forwardDrift s) s.G2 x t) "Fokker–Planck"

        testProp "[C2.1] [CD.1] marginal velocity f x - (1/2) g2 score solves the continuity equation of p_t" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            Residuals.expectBoth (continuityResiduals oracle (fun y u -> oracle.Velocity(y, u)) x t) "continuity"

        testProp "[C2.1] marginal velocity = E[v_t(x|x0) | x_t = x] (conditional velocity at the posterior mean)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let posterior = Exact.Posterior(oracle.Mixture, s, x, t)
            let averaged = conditionalVelocity s posterior.Mean x t // v(x|x0) is affine in x0
            Expect.isLessThan (Tolerances.relativeError 1.0 (oracle.Velocity(x, t)) averaged) Tolerances.densePosterior "posterior average"

        testProp "[C2.2] [CE.1] p_t solves the Fokker–Planck equation of the marginal SDE" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            Residuals.expectBoth (fokkerPlanckResiduals oracle (forwardDrift s) s.G2 x t) "Fokker–Planck"

        testCase "[C2.3] p_t of a two-component mixture is not Gaussian (Hessian of log p_t varies); of Gaussian data it is" <| fun () ->
            let s = Schedules.VpLinear()
            let hessian (oracle: MixtureOracle) x t = (Differences.jacobian (fun y -> oracle.Score(y, t)) [| x |] 1e-4)[0, 0]
            for t in [ 0.05; 0.2; 0.4 ] do
                let mixed = MixtureOracle(bimodal, s)
                let values = [ for x in [ -2.0; -0.5; 0.0; 1.0 ] -> hessian mixed (s.Alpha t * x) t ]
                Expect.isGreaterThan (List.max values - List.min values) 1e-2 (sprintf "mixture Hessian varies at t=%g: %A" t values)
                let gauss = MixtureOracle(GaussianMixture.Gaussian([| 0.3 |], array2D [ [ 0.5 ] ]), s)
                let c = s.Alpha t ** 2.0 * 0.5 + s.Sigma t ** 2.0
                for x in [ -2.0; 0.0; 1.0 ] do
                    Expect.floatClose Accuracy.medium (hessian gauss x t) (-1.0 / c) "Gaussian data: constant Hessian -1/C"
    ]

let statistical =
    statList "Claims.ForwardProcess" [
        conditionalSdeCheck (Schedules.VpLinear()) 1000
        conditionalSdeCheck (Schedules.Ve(0.01, 5.0)) 1000
        marginalLawCheck bimodal (Schedules.VpLinear()) 0.3 "[C2.3] forward draws x_t = alpha x0 + sigma eps follow the mixture p_t (chi-square over 22 bins, VP t = 0.3)"
        marginalLawCheck bimodal (Schedules.LinearInterpolant()) 0.6 "[C2.3] forward draws follow the mixture p_t (chi-square over 22 bins, linear interpolant t = 0.6)"
    ]
