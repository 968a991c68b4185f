/// The exact mixture oracle against independent routes: finite differences of its own density,
/// the posterior mixture vs Tweedie, and large / extreme regimes (THEORY section 2, C4.2).
module Verified.Verification.Theory.OracleTests

open System
open Expecto
open Verified.Theory
open Verified.Verification
open Verified.Verification.Generators
open Verified.Verification.Properties

/// Spatial step: small against the smallest noised standard deviation, which is at least sigma(t).
let private spatialStep (s: Schedule) (t: float) = 1e-3 * max (s.Sigma t) 1e-4

let private randomMixture (seed: int) (d: int) (k: int) =
    let rng = Random(seed)
    let normal () = sqrt (-2.0 * log (1.0 - rng.NextDouble())) * cos (2.0 * Math.PI * rng.NextDouble())
    let weights = Array.init k (fun _ -> 0.2 + rng.NextDouble())
    let total = Array.sum weights
    let means = Array.init k (fun _ -> Array.init d (fun _ -> 3.0 * normal ()))
    let covs =
        Array.init k (fun c ->
            if c % 4 = 3 then Array2D.zeroCreate d d // point masses among them
            else
                let a = Array2D.init d d (fun _ _ -> normal () / sqrt (float d))
                Array2D.init d d (fun i j ->
                    let v = Seq.sum (seq { for m in 0 .. d - 1 -> a[i, m] * a[j, m] })
                    v + (if i = j then 0.05 else 0.0)))
    // symmetrise exactly against round-off in the product
    let covs = covs |> Array.map (fun c -> Array2D.init d d (fun i j -> 0.5 * (c[i, j] + c[j, i])))
    GaussianMixture(weights |> Array.map (fun w -> w / total), means, covs)

let tests =
    testList "Theory.Oracle" [
        testProp "score equals the gradient of log p_t by finite differences" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let byDifferences = Differences.gradient (fun y -> oracle.LogDensity(y, t)) x (spatialStep s t)
            let err = Tolerances.relativeError 1.0 (oracle.Score(x, t)) byDifferences
            Expect.isLessThan err Tolerances.finiteDifference (sprintf "t=%g x=%A" t x)

        testProp "Hessian of log p_t equals the Jacobian of the score by finite differences" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let jac = Differences.jacobian (fun y -> oracle.Score(y, t)) x (spatialStep s t)
            let h = oracle.Hessian(x, t)
            let flat (m: float[,]) = [| for i in 0 .. Array2D.length1 m - 1 do for j in 0 .. Array2D.length2 m - 1 -> m[i, j] |]
            Expect.isLessThan (Tolerances.relativeError 1.0 (flat h) (flat jac)) Tolerances.finiteDifference (sprintf "t=%g" t)

        testProp "d/dt log p_t equals finite differences in t" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let h = 1e-4 * min (t - s.TMin) (s.TMax - t)
            let byDifferences = Differences.derivative (fun u -> oracle.LogDensity(x, u)) t h
            Expect.isLessThan (Tolerances.relativeScalar 1.0 (oracle.TimeDerivativeLogDensity(x, t)) byDifferences) Tolerances.timeDifference (sprintf "t=%g" t)

        testProp "Laplacian of p_t equals the five-point Laplacian of the density" <| fun (spec: MixtureSpec) (f: InteriorFraction) (p: PointSeed) ->
            let s = Schedules.VpLinear()
            let oracle, t, x = oracleCase spec s f p
            let density = oracle.Density(x, t)
            // second differences lose more digits: compare relative to |Lap p| + p / sigma^2
            let byDifferences = Differences.laplacian (fun y -> oracle.Density(y, t)) x (0.01 * s.Sigma t)
            let scale = abs byDifferences + density / (s.Sigma t ** 2.0)
            Expect.isLessThan (abs (oracle.Laplacian(x, t) - byDifferences) / max scale 1e-300) 1e-5 (sprintf "t=%g" t)

        testProp "[C4.2] E[x0|x] from the posterior mixture equals Tweedie (x + sigma^2 score)/alpha" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let a, sg = s.Alpha t, s.Sigma t
            let score = oracle.Score(x, t)
            let tweedie = Array.init x.Length (fun i -> (x[i] + sg * sg * score[i]) / a)
            Expect.isLessThan (Tolerances.relativeError 1.0 (oracle.PosteriorMean(x, t)) tweedie) Tolerances.twoRoutes (sprintf "t=%g" t)

        testProp "[C4.2] E[eps|x] = (x - alpha E[x0|x]) / sigma equals -sigma score" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let a, sg = s.Alpha t, s.Sigma t
            let m = oracle.PosteriorMean(x, t)
            let viaPosterior = Array.init x.Length (fun i -> (x[i] - a * m[i]) / sg)
            // through the posterior mean of near-singular components (the generators' 'near-singular' kind): a linear solve each
            Expect.isLessThan (Tolerances.relativeError 1.0 (oracle.ExpectedNoise(x, t)) viaPosterior) 1e-8 (sprintf "t=%g" t)

        testProp "[C4.2] posterior covariance equals second-order Tweedie (sigma^2/alpha^2)(I + sigma^2 H)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            // Second-order Tweedie: Cov[x0|x] = (sigma^2/alpha^2)(I + sigma^2 H); H from its own code path.
            let oracle, t, x = oracleCase spec s f p
            let a, sg = s.Alpha t, s.Sigma t
            let cov = oracle.PosteriorCovariance(x, t)
            let h = oracle.Hessian(x, t)
            let d = x.Length
            let expected = Array2D.init d d (fun i j -> (sg * sg / (a * a)) * ((if i = j then 1.0 else 0.0) + sg * sg * h[i, j]))
            let flat (m: float[,]) = [| for i in 0 .. d - 1 do for j in 0 .. d - 1 -> m[i, j] |]
            // the posterior covariance against the Hessian form: both through near-singular component covariances
            Expect.isLessThan (Tolerances.relativeError 1.0 (flat cov) (flat expected)) 1e-8 (sprintf "t=%g" t)

        testProp "responsibilities equal the Bayes weights w_k N(x; alpha mu_k, C_k) / p_t(x) of the dense posterior (independent code path)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            // Was "sum to 1 and non-negative", which a softmax satisfies whatever its inputs; the dense posterior
            // (MathNet Cholesky, Support/Exact.fs) computes the same weights along another route.
            let oracle, t, x = oracleCase spec s f p
            let r = oracle.Responsibilities(x, t)
            let exact = (Exact.Posterior(oracle.Mixture, s, x, t)).Weights
            Expect.isLessThan (Array.fold2 (fun acc a b -> max acc (abs (a - b))) 0.0 r exact) Tolerances.twoRoutes "responsibilities vs dense Bayes weights"

        testCase "d = 64, K = 32: score and time derivative against finite differences, including t within 1e-6 of both ends" <| fun () ->
            let mixture = randomMixture 7 64 32
            let rng = Random(11)
            for s in [ Schedules.VpLinear(); Schedules.VpCosine(); Schedules.Ve(); Schedules.Edm(); Schedules.LinearInterpolant(); Schedules.Follmer() ] do
                let oracle = MixtureOracle(mixture, s)
                let span = s.TMax - s.TMin
                for t in [ s.TMin + 1e-6 * span; s.TMin + 0.4 * span; s.TMax - 1e-6 * span ] do
                    let x = pointNear mixture s t (Array.init 65 (fun _ -> rng.NextDouble() * 2.0 - 1.0))
                    let score = oracle.Score(x, t)
                    Expect.isTrue (score |> Array.forall Double.IsFinite) (sprintf "%s: finite score at t=%g" s.Name t)
                    // finite differences on a few coordinates (a full 64-D gradient is 256 density evaluations per point)
                    let h = spatialStep s t
                    for i in [ 0; 31; 63 ] do
                        let at (v: float) = let y = Array.copy x in y[i] <- v; oracle.LogDensity(y, t)
                        let fd = Differences.derivative at x[i] h
                        // the stencil's own round-off is ~ eps |log p| / h, which dominates when sigma ~ 1e-6
                        let roundOff = 100.0 * 2.2e-16 * abs (oracle.LogDensity(x, t)) / h
                        let allowed = 1e-6 * max (abs fd) 1.0 + roundOff
                        Expect.isLessThan (abs (score[i] - fd)) allowed (sprintf "%s d/dx_%d at t=%g" s.Name i t)
                    let dt = oracle.TimeDerivativeLogDensity(x, t)
                    Expect.isTrue (Double.IsFinite dt) (sprintf "%s: finite d/dt log p at t=%g" s.Name t)

        testCase "far from every mode (|x| = 1e6) every quantity stays finite" <| fun () ->
            let mixture = randomMixture 3 4 5
            for s in [ Schedules.VpLinear(); Schedules.Edm(); Schedules.Follmer() ] do
                let oracle = MixtureOracle(mixture, s)
                let t = 0.5 * (s.TMin + s.TMax)
                let x = [| 1e6; -1e6; 5e5; 0.0 |]
                Expect.isTrue (Double.IsFinite(oracle.LogDensity(x, t))) "log p"
                for v in oracle.Score(x, t) do Expect.isTrue (Double.IsFinite v) "score"
                for v in oracle.PosteriorMean(x, t) do Expect.isTrue (Double.IsFinite v) "posterior mean"
                Expect.isTrue (Double.IsFinite(oracle.TimeDerivativeLogDensity(x, t))) "d/dt log p"
                Expect.isTrue (Double.IsFinite(oracle.LaplacianOverDensity(x, t))) "Lap p / p"
                Expect.floatClose Accuracy.veryHigh (Array.sum (oracle.Responsibilities(x, t))) 1.0 "responsibilities"

        testCase "point masses at t = 0 with sigma(t) = 0 are rejected with a clear error" <| fun () ->
            let oracle = MixtureOracle(GaussianMixture.PointMasses([| 0.5; 0.5 |], [| [| 1.0 |]; [| -1.0 |] |]), Schedules.VpLinear())
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> oracle.Score([| 0.0 |], 0.0) |> ignore) "t = 0"
    ]
