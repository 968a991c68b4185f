/// Analytic tools of the appendices: divergence and Laplacian (CA.1), reverse-time Brownian increments
/// (CB.1), Itô isometry (CC.1), averaging lemmas (CF.5), Fisher's identity (CG.1) and orthogonality (CH.1).
module Verified.Verification.Claims.AnalyticToolsTests

open Expecto
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Fixtures
open Verified.Verification.Generators
open Verified.Verification.Properties
open Verified.Verification.Statistics

/// A posterior sampler: given (mixture, schedule, x, t), a function drawing x0.
type PosteriorDraw = GaussianMixture -> Schedule -> float[] -> float -> (Xoshiro256 -> float[])

let exactPosterior : PosteriorDraw = fun m s x t -> let post = Exact.Posterior(m, s, x, t) in post.Draw

/// A posterior-average identity by Monte Carlo: over exact posterior draws x0 | x_t = x, the average of
/// conditional(s, t, x, x0) equals exact(oracle, x, t), at every case of identityCases (a z-test per coordinate,
/// Bonferroni over coordinates and cases).
let posteriorAverageCheck (name: string) (draw: PosteriorDraw)
                          (conditional: Schedule -> float -> float[] -> float[] -> float[]) (exact: MixtureOracle -> float[] -> float -> float[]) =
    { Name = name
      Alpha = checkAlpha
      Run = fun seed ->
        let ps =
            identityCases |> List.mapi (fun c (s, t, x) ->
                let sampler = draw labelledMixture s x t
                let values = Exact.drawMany 20_000 (Xoshiro256.Derive(seed, uint64 c)) (fun rng -> conditional s t x (sampler rng))
                vectorMeanTest (exact (MixtureOracle(labelledMixture, s)) x t) values)
        outcome (bonferroni ps) (sprintf "per-case p %A" ps) }

/// The conditional score -(x - alpha x0)/sigma^2 (C1.1).
let conditionalScore (s: Schedule) (t: float) (x: float[]) (x0: float[]) =
    Array.init x.Length (fun i -> -(x[i] - s.Alpha t * x0[i]) / (s.Sigma t ** 2.0))

/// CG.1: the conditional score averages to the score.
let fisherCheck (name: string) (draw: PosteriorDraw) =
    posteriorAverageCheck name draw conditionalScore (fun o x t -> o.Score(x, t))

/// CF.5: the PF-ODE velocity f x - g2 s/2 and the reverse-SDE drift f x - g2 s are posterior averages of their
/// conditional versions (conditional score in place of the score); both stacked in one vector.
let averagingCheck (name: string) (draw: PosteriorDraw) =
    let stacked (s: Schedule) (t: float) (x: float[]) (score: float[]) =
        let f, g2 = s.Drift t, s.G2 t
        Array.append (Array.init x.Length (fun i -> f * x[i] - 0.5 * g2 * score[i])) (Array.init x.Length (fun i -> f * x[i] - g2 * score[i]))
    posteriorAverageCheck name draw (fun s t x x0 -> stacked s t x (conditionalScore s t x x0))
        (fun o x t -> stacked o.Schedule t x (o.Score(x, t)))

/// CH.1 by Monte Carlo with common random numbers: for joint draws (X, Y) = (x_t, x0) and a predictor h,
/// D = |Y - h(X)|^2 - |Y - m(X)|^2 - |m(X) - h(X)|^2 has mean 0 when m(X) = E[Y | X].
let orthogonalityCheck (name: string) (conditionalMean: MixtureOracle -> float[] -> float -> float[]) =
    { Name = name
      Alpha = checkAlpha
      Run = fun seed ->
        let s, t = Schedules.VpLinear(), 0.3
        let oracle = MixtureOracle(labelledMixture, s)
        let predictors : (float[] -> float[]) list =
            [ (fun x -> x |> Array.map (fun v -> 0.5 * v + 1.0)); (fun x -> x |> Array.map tanh); (fun x -> [| x[1]; -x[0] |]) ]
        let gaps =
            Exact.drawMany 20_000 seed (fun rng ->
                let _, x0 = Exact.drawData labelledMixture rng
                let x = x0 |> Array.map (fun v -> s.Alpha t * v + s.Sigma t * rng.NextGaussian())
                let m = conditionalMean oracle x t
                let sq (a: float[]) (b: float[]) = Array.fold2 (fun acc u v -> acc + (u - v) ** 2.0) 0.0 a b
                predictors |> List.map (fun h -> let hx = h x in sq x0 hx - sq x0 m - sq m hx) |> Array.ofList)
        let ps = [ for j in 0 .. predictors.Length - 1 -> meanTest 0.0 (gaps |> Array.map (fun g -> g[j])) ]
        outcome (bonferroni ps) (sprintf "per-predictor p %A" ps) }

/// A non-uniform fine grid on [0, 1] (t_k = (1 - k/64)^2) for Brownian paths.
let private fineGrid = TimeGrid(Array.init 65 (fun k -> (1.0 - float k / 64.0) ** 2.0))

/// CB.1: increments of the reverse-time Brownian path over coarse steps [t_{i-1}, t_i] are N(0, h I),
/// independent across steps and components (variance chi-square, KS, Fisher-z correlations).
let brownianCheck =
    { Name = "[CB.1] reverse-time Brownian increments over coarse steps are N(0, h I), independent across steps and components"
      Alpha = checkAlpha
      Run = fun seed ->
        let coarse = (BrownianPath(fineGrid, 2, 0UL)).Coarsen 4
        let incs = Exact.drawMany 10_000 seed (fun rng ->
            let path = BrownianPath(fineGrid, 2, rng.NextUInt64())
            Array.init 4 (fun i -> path.Increment(coarse[i], coarse[i + 1])))
        let comp i j = incs |> Array.map (fun v -> v[i][j])
        let ps =
            [ for i in 0 .. 3 do
                let h = coarse[i] - coarse[i + 1]
                for j in 0 .. 1 do
                    yield gaussianVarianceTest h (comp i j)
                    yield ksOneSample (fun v -> MathNet.Numerics.Distributions.Normal.CDF(0.0, sqrt h, v)) (comp i j)
              yield correlationTest (comp 0 0) (comp 1 0)
              yield correlationTest (comp 2 1) (comp 3 1)
              yield correlationTest (comp 1 0) (comp 1 1) ]
        outcome (bonferroni ps) (sprintf "min p %g over %d tests" (List.min ps) ps.Length) }

/// CC.1 for a step-function integrand c on the coarse steps: I = sum_i c_i dW_i ~ N(0, (sum c_i^2 h_i) I), exactly.
let stepIntegrandCheck =
    { Name = "[CC.1] Itô isometry, step-function integrand: int c dW ~ N(0, int c^2 I), components independent"
      Alpha = checkAlpha
      Run = fun seed ->
        let coarse = (BrownianPath(fineGrid, 2, 0UL)).Coarsen 4
        let c = [| 1.0; -2.0; 0.5; 3.0 |]
        let v = Seq.sum (seq { for i in 0 .. 3 -> c[i] * c[i] * (coarse[i] - coarse[i + 1]) })
        let integrals = Exact.drawMany 10_000 seed (fun rng ->
            let path = BrownianPath(fineGrid, 2, rng.NextUInt64())
            let total = Array.zeroCreate 2
            for i in 0 .. 3 do
                let w = path.Increment(coarse[i], coarse[i + 1])
                for j in 0 .. 1 do total[j] <- total[j] + c[i] * w[j]
            total)
        let comp j = integrals |> Array.map (fun x -> x[j])
        let ps =
            [ for j in 0 .. 1 do
                yield gaussianVarianceTest v (comp j)
                yield ksOneSample (fun x -> MathNet.Numerics.Distributions.Normal.CDF(0.0, sqrt v, x)) (comp j)
              yield correlationTest (comp 0) (comp 1) ]
        outcome (bonferroni ps) (sprintf "variance %g, p %A" v ps) }

/// The interval [a, b] of a schedule's domain used for smooth integrands (away from singular ends).
let smoothInterval (s: Schedule) = s.TMin + 0.05 * (s.TMax - s.TMin), s.TMin + 0.9 * (s.TMax - s.TMin)

/// int_a^b (g/alpha)^2 ds = sigma^2/alpha^2 |_a^b, since d/dt (sigma^2/alpha^2) = g2/alpha^2 (closed form for every schedule).
let smoothVariance (s: Schedule) (a: float) (b: float) = (s.Sigma b / s.Alpha b) ** 2.0 - (s.Sigma a / s.Alpha a) ** 2.0

/// Midpoint Riemann sum of h^2 over n equal steps: the exact variance of the Riemann–Itô sum sum h(mid) dW.
let riemannVariance (h: float -> float) (a: float) (b: float) (n: int) =
    let dt = (b - a) / float n
    Seq.sum (seq { for k in 0 .. n - 1 -> let v = h (a + (float k + 0.5) * dt) in v * v * dt })

let private integrand (s: Schedule) (u: float) = sqrt (s.G2 u) / s.Alpha u

/// The standard normal draws under every noise source and Brownian path (Xoshiro256.NextGaussian) against an
/// independent reference, MathNet's normal CDF: KS, mean, variance, and the correlation of consecutive draws (the
/// generator makes them in pairs). With this, a Riemann–Itô sum sum w_k z_k is exactly N(0, sum w_k^2), so CC.1 for
/// smooth integrands needs no Monte Carlo: the deterministic Riemann test checks sum w_k^2 -> sigma^2/alpha^2 |_a^b.
let normalGeneratorCheckWith (name: string) (draw: Xoshiro256 -> float) =
    { Name = name
      Alpha = checkAlpha
      Run = fun seed ->
        let pairs = Exact.drawMany 20_000 seed (fun rng -> let a = draw rng in [| a; draw rng |])
        let first = pairs |> Array.map (fun v -> v[0])
        let second = pairs |> Array.map (fun v -> v[1])
        let all = Array.append first second
        let ps =
            [ ksOneSample (fun v -> MathNet.Numerics.Distributions.Normal.CDF(0.0, 1.0, v)) all
              meanTestKnownVariance 0.0 1.0 all
              gaussianVarianceTest 1.0 all
              correlationTest first second ]
        outcome (bonferroni ps) (sprintf "p %A" ps) }

let normalGeneratorCheck =
    normalGeneratorCheckWith "[CB.1] the normal generator under the noise sources is N(0, 1) with uncorrelated consecutive draws (KS against MathNet's CDF)"
        (fun rng -> rng.NextGaussian())

/// Relative error of the n-step midpoint sum of (g/alpha)^2 against sigma^2/alpha^2 |_a^b (CC.1's deterministic core).
let riemannError (s: Schedule) (n: int) =
    let a, b = smoothInterval s
    abs (riemannVariance (integrand s) a b n - smoothVariance s a b) / smoothVariance s a b

let allSchedules () =
    [ Schedules.VpLinear(); Schedules.VpCosine(); Schedules.SubVp(); Schedules.Ve(); Schedules.Edm()
      Schedules.LinearInterpolant(); Schedules.Follmer() ]

let tests =
    testList "Claims.AnalyticTools" [
        testProp "[CA.1] div v (closed form d f - g2 tr H / 2) = trace of the finite-difference Jacobian of the velocity" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let fd = Differences.divergence (fun y -> oracle.Velocity(y, t)) x (Residuals.spaceStep s t)
            Expect.isLessThan (Tolerances.relativeScalar 1.0 (oracle.VelocityDivergence(x, t)) fd) Tolerances.finiteDifference "div v"

        testProp "[CA.1] Lap p = div grad p (finite-difference divergence of p * score) and tr H = div score" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let h = Residuals.spaceStep s t
            let gradP (y: float[]) = let q = oracle.Density(y, t) in oracle.Score(y, t) |> Array.map (fun v -> q * v)
            let fd = Differences.divergence gradP x h
            let scale = abs fd + oracle.Density(x, t) / (s.Sigma t ** 2.0)
            Expect.isLessThan (abs (oracle.Laplacian(x, t) - fd) / scale) Tolerances.finiteDifference "Lap p"
            let hess = oracle.Hessian(x, t)
            let trace = Seq.sum (seq { for i in 0 .. x.Length - 1 -> hess[i, i] })
            let divScore = Differences.divergence (fun y -> oracle.Score(y, t)) x h
            Expect.isLessThan (Tolerances.relativeScalar 1.0 trace divScore) Tolerances.finiteDifference "tr H"

        testCase "[CB.1] a Brownian path's coarse increments add up: W over [t2, t0] = W over [t1, t0] + W over [t2, t1]" <| fun () ->
            let path = BrownianPath(fineGrid, 3, 42UL)
            let coarse = path.Coarsen 8
            for i in 0 .. 6 do
                let whole = path.Increment(coarse[i], coarse[i + 2])
                let parts = Array.map2 (+) (path.Increment(coarse[i], coarse[i + 1])) (path.Increment(coarse[i + 1], coarse[i + 2]))
                Expect.isLessThan (Tolerances.relativeError 1.0 whole parts) Tolerances.roundOff (sprintf "step %d" i)

        testCase "[CC.1] Riemann sums of (g/alpha)^2 converge to sigma^2/alpha^2 |_a^b for every schedule (variance of the Riemann–Itô sum)" <| fun () ->
            for s in allSchedules () do
                let err = riemannError s
                // the Riemann sum's discretisation error at n = 4000 (its order is the claim of the test above)
                Expect.isLessThan (err 4000) 1e-5 (sprintf "%s: relative error" s.Name)
                Expect.isGreaterThan (err 1000 / err 2000) 3.5 (sprintf "%s: midpoint rule converges at order 2" s.Name)

        testProp "[CG.1] Fisher's identity: score = posterior average of the conditional score (dense posterior) = gradient of log p_t" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let a, sg = s.Alpha t, s.Sigma t
            let mean = (Exact.Posterior(oracle.Mixture, s, x, t)).Mean
            let averaged = Array.init x.Length (fun i -> -(x[i] - a * mean[i]) / (sg * sg))
            let byDensity = Differences.gradient (fun y -> oracle.LogDensity(y, t)) x (Residuals.spaceStep s t)
            Expect.isLessThan (Tolerances.relativeError 1.0 averaged byDensity) Tolerances.finiteDifference "posterior average vs density derivative"
            Expect.isLessThan (Tolerances.relativeError 1.0 (oracle.Score(x, t)) averaged) Tolerances.densePosterior "oracle score vs posterior average"
    ]

let statistical =
    statList "Claims.AnalyticTools" [
        brownianCheck
        stepIntegrandCheck
        normalGeneratorCheck
        fisherCheck "[CG.1] Fisher's identity by Monte Carlo over exact posterior draws (3 schedules)" exactPosterior
        averagingCheck "[CF.5] velocity and reverse drift are posterior averages of the conditional ones (Monte Carlo)" exactPosterior
        orthogonalityCheck "[CH.1] orthogonality: E|Y-h|^2 = E|Y-E[Y|X]|^2 + E|E[Y|X]-h|^2 for three predictors h" (fun o x t -> o.PosteriorMean(x, t))
    ]
