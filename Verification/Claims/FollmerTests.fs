/// The Föllmer process (THEORY section F), generative time s = 1 - t on the Föllmer schedule
/// alpha = 1 - t, sigma = sqrt(t (1 - t)): its drift (CF.1), the scaling map from VP (CF.2) and the
/// bridge step (CF.3). Sampler-level claims (CF.3 exact DDPM identity, CF.4) are in Claims.Samplers.
module Verified.Verification.Claims.FollmerTests

open Expecto
open Verified.Theory
open Verified.Verification
open Verified.Verification.Generators
open Verified.Verification.Properties

/// CF.3: the claimed bridge law of X_{s'} given X_s = x and Y = y: (mean, variance per coordinate).
let bridgeLaw (x: float[]) (y: float[]) (s: float) (s': float) =
    Array.init x.Length (fun i -> x[i] + (s' - s) / (1.0 - s) * (y[i] - x[i])), (s' - s) * (1.0 - s') / (1.0 - s)

let tests =
    testList "Claims.Follmer" [
        testProp "[CF.1] Föllmer drift (E[Y|X_s] - x)/(1 - s) = x/s + grad log p_s(x) = the reverse-SDE drift of the Föllmer schedule" <| fun (spec: MixtureSpec) (f: InteriorFraction) (p: PointSeed) ->
            let sch = Schedules.Follmer()
            let oracle = MixtureOracle(spec.Build(), sch)
            let view = GenerativeView oracle
            let s = f.Value
            let t = 1.0 - s
            let x = pointNear oracle.Mixture sch t p.Value
            let drift = view.FollmerDrift(x, s)
            let score = oracle.Score(x, t)
            // the drift divides by s (down to 0.05): round-off grows like 1/s
            Expect.isLessThan (Tolerances.relativeError 1.0 drift (Array.init x.Length (fun i -> x[i] / s + score[i]))) 1e-8 "x/s + score"
            // reverse SDE in generative time: dx/ds = -(f x - g2 score) at t = 1 - s
            let reverse = Array.init x.Length (fun i -> -(sch.Drift t * x[i] - sch.G2 t * score[i]))
            Expect.isLessThan (Tolerances.relativeError 1.0 drift reverse) 1e-8 "reverse SDE drift"

        testProp "[CF.2] scaling map: the law of alpha(t) x^VP_t is the Föllmer marginal at s = alpha(t)^2 (densities by change of variables)" <| fun (spec: MixtureSpec) (f: InteriorFraction) (p: PointSeed) ->
            let vp = Schedules.VpLinear()
            let mixture = spec.Build()
            let vpOracle, fOracle = MixtureOracle(mixture, vp), MixtureOracle(mixture, Schedules.Follmer())
            let t = 0.05 + 0.9 * f.Value
            let a = vp.Alpha t
            let xVp = pointNear mixture vp t p.Value
            let x = xVp |> Array.map (fun v -> a * v)
            let viaVp = vpOracle.LogDensity(xVp, t) - float x.Length * log a
            Expect.isLessThan (Tolerances.relativeScalar 1.0 (fOracle.LogDensity(x, 1.0 - a * a)) viaVp) Tolerances.twoRoutes "log densities"

        testProp "[CF.3] bridge step law equals the exact conditional law of the Föllmer process given X_s = x and Y = y" <| fun (f: InteriorFraction) (g: InteriorFraction) (Normal3 y) (Normal3 x) ->
            let s = 0.05 + 0.85 * f.Value
            let s' = s + (0.99 - s) * g.Value
            // data = the point mass at y: ReverseTransition gives the law of x_{t'} given x_t (t = 1 - s) under the forward schedule
            let data = GaussianFlow(y, Array2D.zeroCreate 3 3, Schedules.Follmer())
            let mean, cov = data.ReverseTransition(x, 1.0 - s, 1.0 - s')
            let claimedMean, claimedVar = bridgeLaw x y s s'
            Expect.isLessThan (Tolerances.relativeError 1.0 mean claimedMean) Tolerances.twoRoutes "mean"
            for i in 0 .. 2 do
                for j in 0 .. 2 do
                    // O(1) entries of two closed forms: absolute round-off
                    Expect.isLessThan (abs (cov[i, j] - (if i = j then claimedVar else 0.0))) 1e-12 "covariance"
    ]
