/// Learning the score (THEORY section 4, and the proxy losses of section 8): the score-matching
/// objective, Tweedie, the noise predictor, DSM/CFM/CSM = exact-target loss + constant (with common
/// random numbers), and the learned reverse equations in noise form.
module Verified.Verification.Claims.ScoreLearningTests

open Expecto
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Generators
open Verified.Verification.Properties
open Verified.Verification.Statistics
open Verified.Verification.Claims.AnalyticToolsTests

let private sq (a: float[]) (b: float[]) = Array.fold2 (fun acc u v -> acc + (u - v) ** 2.0) 0.0 a b

/// A proxy-loss check: each draw gives (x, conditional target c, marginal target m). For every predictor th,
/// D = |th(x) - c|^2 - |th(x) - m|^2 - |m - c|^2 must have mean 0, i.e. the conditional-target loss equals
/// the exact-target loss plus the th-independent constant E|m - c|^2 (same draws for every th: common random numbers).
let proxyLossCheck (name: string) (draw: Xoshiro256 -> float[] * float[] * float[]) (predictors: (float[] -> float[]) list) =
    { Name = name
      Alpha = checkAlpha
      Run = fun seed ->
        let gaps = Exact.drawMany 20_000 seed (fun rng ->
            let x, c, m = draw rng
            predictors |> List.map (fun th -> let p = th x in sq p c - sq p m - sq m c) |> Array.ofList)
        let ps = [ for j in 0 .. predictors.Length - 1 -> meanTest 0.0 (gaps |> Array.map (fun g -> g[j])) ]
        outcome (bonferroni ps) (sprintf "per-predictor p %A" ps) }

let predictors : (float[] -> float[]) list =
    [ (fun x -> x |> Array.map (fun v -> 0.3 * v)); (fun x -> x |> Array.map tanh); (fun x -> [| x[1] + 0.5; -x[0] |]) ]

/// C4.4 draws: x = alpha x0 + sigma eps; conditional target eps, marginal target eps*(x) from the given predictor.
let dsmDraw (schedule: Schedule) (t: float) (epsStar: MixtureOracle -> float[] -> float -> float[]) =
    let oracle = MixtureOracle(labelledMixture, schedule)
    fun (rng: Xoshiro256) ->
        let _, x0 = Exact.drawData labelledMixture rng
        let eps = Array.init x0.Length (fun _ -> rng.NextGaussian())
        let x = Array.init x0.Length (fun i -> schedule.Alpha t * x0[i] + schedule.Sigma t * eps[i])
        x, eps, epsStar oracle x t

/// C8.3 draws in generative time: x = a x1 + b x0 (x1 data, x0 noise); u(x|x1) vs the marginal u(x).
let cfmDraw (schedule: Schedule) (tGen: float) =
    let view = GenerativeView(MixtureOracle(labelledMixture, schedule))
    fun (rng: Xoshiro256) ->
        let _, x1 = Exact.drawData labelledMixture rng
        let a, b = view.A tGen, view.B tGen
        let x = x1 |> Array.map (fun v -> a * v + b * rng.NextGaussian())
        x, view.ConditionalVelocity(x, tGen, x1), view.MarginalVelocity(x, tGen)

/// C8.5 draws: conditional score -(x - a x1)/b^2 vs the marginal score.
let csmDraw (schedule: Schedule) (tGen: float) =
    let view = GenerativeView(MixtureOracle(labelledMixture, schedule))
    fun (rng: Xoshiro256) ->
        let _, x1 = Exact.drawData labelledMixture rng
        let a, b = view.A tGen, view.B tGen
        let x = x1 |> Array.map (fun v -> a * v + b * rng.NextGaussian())
        x, Array.init x.Length (fun i -> -(x[i] - a * x1[i]) / (b * b)), view.Score(x, tGen)

/// C4.1: the score-matching objective J(s) = int_a^b lambda(t) E_{p_t} |s - grad log p_t|^2 dt, lambda = sigma^2,
/// for s = grad log p_t + B x. Monte Carlo (t uniform, x ~ p_t by the forward definition) against the closed form
/// int lambda tr(B (Cov_t + m_t m_t^T) B^T) dt (Simpson in t).
let scoreMatchingCheck =
    { Name = "[C4.1] score-matching objective J(grad log p + B x): Monte Carlo over (t, x_t) equals the closed form"
      Alpha = checkAlpha
      Run = fun seed ->
        let s = Schedules.VpLinear()
        let oracle = MixtureOracle(labelledMixture, s)
        let bm = array2D [ [ 0.5; -0.2 ]; [ 0.1; 0.3 ] ]
        let apply (x: float[]) = Array.init 2 (fun i -> bm[i, 0] * x[0] + bm[i, 1] * x[1])
        let a, b = 0.05, 0.95
        let closedAt t =
            let m = Exact.marginalMean labelledMixture s t
            let c = Exact.marginalCovariance labelledMixture s t
            let second = Array2D.init 2 2 (fun i j -> c[i, j] + m[i] * m[j])
            let mutable acc = 0.0
            for i in 0 .. 1 do for j in 0 .. 1 do for k in 0 .. 1 do acc <- acc + bm[i, j] * second[j, k] * bm[i, k]
            s.Sigma t ** 2.0 * acc
        let n = 200
        let h = (b - a) / float n
        let closed = h / 3.0 * (closedAt a + closedAt b + Seq.sum (seq { for i in 1 .. n - 1 -> (if i % 2 = 1 then 4.0 else 2.0) * closedAt (a + float i * h) }))
        let terms = Exact.drawMany 40_000 seed (fun rng ->
            let t = a + (b - a) * rng.NextUniform()
            let x = Exact.drawForward labelledMixture s t rng
            let score = oracle.Score(x, t)
            let model = Array.map2 (+) score (apply x)
            (b - a) * s.Sigma t ** 2.0 * sq model score)
        outcome (meanTest closed terms) (sprintf "closed %g, Monte Carlo %g" closed (mean terms)) }

/// C4.3 by Monte Carlo: eps*(x) read through ModelView from the score oracle equals E[eps | x] over exact posterior draws.
let noisePredictorCheck =
    let throughView (o: MixtureOracle) (x: float[]) (t: float) =
        let eps = Array.zeroCreate x.Length
        ModelView(OracleModel o).Noise(System.ReadOnlySpan x, t, System.Span eps)
        eps
    posteriorAverageCheck "[C4.3] eps*(x, t) (ModelView.Noise of the score oracle) = E[eps | x_t = x] over exact posterior draws"
        exactPosterior (fun s t x x0 -> Array.init x.Length (fun i -> (x[i] - s.Alpha t * x0[i]) / s.Sigma t)) throughView

/// C4.2 check: relative error of the Tweedie mean (x + k(t) score) / alpha against E[x0|x] from the dense posterior
/// (Exact.Posterior, an independent code path); k(t) = sigma^2 is the claim, the negative control passes sigma.
let tweedieGap (k: float -> float) (oracle: MixtureOracle) (x: float[]) (t: float) =
    let s = oracle.Schedule
    let score = oracle.Score(x, t)
    let tweedie = Array.init x.Length (fun i -> (x[i] + k t * score[i]) / s.Alpha t)
    Tolerances.relativeError 1.0 tweedie (Exact.Posterior(oracle.Mixture, s, x, t)).Mean

let tests =
    testList "Claims.ScoreLearning" [
        testProp "[C4.1] J vanishes exactly at the true score and is quadratic in a perturbation: J(s + e d) = e^2 J(s + d)" <| fun (spec: MixtureSpec) (f: InteriorFraction) (p: PointSeed) ->
            // Per point, the integrand |s_theta - grad log p|^2: the objective's minimiser and its curvature.
            let s = Schedules.VpLinear()
            let oracle, t, x = oracleCase spec s f p
            let score = oracle.Score(x, t)
            let delta = Array.init x.Length (fun i -> p.Value[60 - i])
            let j e = sq (Array.map2 (fun a d -> a + e * d) score delta) score
            Expect.equal (j 0.0) 0.0 "J at the true score"
            Expect.floatClose Accuracy.high (j 0.3) (0.09 * j 1.0) "quadratic"

        testProp "[C4.2] Tweedie: (x + sigma^2 score)/alpha equals E[x0|x] from the dense posterior (independent code path)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            Expect.isLessThan (tweedieGap (fun t -> s.Sigma t ** 2.0) oracle x t) 1e-7 "Tweedie"

        testProp "[C4.3] parameterisations round-trip: eps <-> score, eps <-> x0, x0 <-> velocity, eps <-> v-prediction" <| fun (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let t = interiorTime s f.Value
            let x, eps = p.Value[0..2], p.Value[3..5]
            let close a b what = Expect.isLessThan (Tolerances.relativeError 1.0 a b) 1e-9 what
            close (Parameterisation.ScoreToNoise(s, x, Parameterisation.NoiseToScore(s, x, eps, t), t)) eps "score"
            close (Parameterisation.DataToNoise(s, x, Parameterisation.NoiseToData(s, x, eps, t), t)) eps "x0"
            let x0 = Parameterisation.NoiseToData(s, x, eps, t)
            close (Parameterisation.VelocityToData(s, x, Parameterisation.DataToVelocity(s, x, x0, t), t)) x0 "velocity"
            close (Parameterisation.VPredictionToNoise(s, x, Parameterisation.NoiseToVPrediction(s, x, eps, t), t)) eps "v-prediction"
            close (Parameterisation.NoiseToScore(s, x, eps, t)) (eps |> Array.map (fun e -> -e / s.Sigma t)) "s = -eps/sigma"

        testProp "[C4.3] [C9.1] a noise model, a data model and the score oracle agree through ModelView in every parameterisation" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let views = [ ModelView(OracleModel oracle); ModelView(Models.noiseModel oracle); ModelView(Models.dataModel oracle) ]
            let read (v: ModelView) (which: int) =
                let out = Array.zeroCreate x.Length
                match which with
                | 0 -> v.Score(System.ReadOnlySpan x, t, System.Span out)
                | 1 -> v.Noise(System.ReadOnlySpan x, t, System.Span out)
                | 2 -> v.Data(System.ReadOnlySpan x, t, System.Span out)
                | _ -> v.Velocity(System.ReadOnlySpan x, t, System.Span out)
                out
            for which in 0 .. 3 do
                let reference = read views[0] which
                for v in views do
                    Expect.isLessThan (Tolerances.relativeError 1.0 (read v which) reference) 1e-7 (sprintf "%A via %A" which v.Model.Kind)

        testProp "[C4.5] learned ODE/SDE in noise form: f x + g2/(2 sigma) eps and f x + (g2/sigma) eps equal the score forms" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let oracle, t, x = oracleCase spec s f p
            let eps = oracle.ExpectedNoise(x, t)
            let score = oracle.Score(x, t)
            let fx, g2, sg = s.Drift t, s.G2 t, s.Sigma t
            let odeNoise = Array.init x.Length (fun i -> fx * x[i] + g2 / (2.0 * sg) * eps[i])
            let sdeNoise = Array.init x.Length (fun i -> fx * x[i] + g2 / sg * eps[i])
            Expect.isLessThan (Tolerances.relativeError 1.0 odeNoise (oracle.Velocity(x, t))) 1e-9 "ODE"
            Expect.isLessThan (Tolerances.relativeError 1.0 sdeNoise (Array.init x.Length (fun i -> fx * x[i] - g2 * score[i]))) 1e-9 "SDE"

        testCase "[C4.5] samplers driven by the noise model and by the score oracle give the same outputs (same noise)" <| fun () ->
            let s = Schedules.VpLinear()
            let oracle = MixtureOracle(labelledMixture, s)
            let grid = TimeGrids.UniformTime(s, 50, 1.0, 1e-3)
            for sampler in [ ReverseSdeEulerMaruyama() :> Sampler; PfOdeEuler(); Ddim(0.5) ] do
                let run (model: IDiffusionModel) = (sampler.Sample(model, System.ReadOnlySpan [| 0.3; -1.2 |], grid, SeededNoise 9UL)).State
                let byScore, byNoise = run (OracleModel oracle), run (Models.noiseModel oracle)
                Expect.isLessThan (Tolerances.relativeError 1.0 byNoise byScore) 1e-9 sampler.Info.Name

        testProp "[C8.5] conditional score -(x - a x1)/b^2 is the denoising form -noise/b" <| fun (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let view = GenerativeView(MixtureOracle(labelledMixture, s))
            let tGen = view.Horizon - interiorTime s f.Value
            let x1, noise = p.Value[0..1], p.Value[2..3]
            let a, b = view.A tGen, view.B tGen
            let x = Array.init 2 (fun i -> a * x1[i] + b * noise[i])
            let conditional = Array.init 2 (fun i -> -(x[i] - a * x1[i]) / (b * b))
            Expect.isLessThan (Tolerances.relativeError 1.0 conditional (noise |> Array.map (fun z -> -z / b))) 1e-9 "denoising form"
    ]

let statistical =
    statList "Claims.ScoreLearning" [
        scoreMatchingCheck
        noisePredictorCheck
        proxyLossCheck "[C4.4] DSM loss = noise-matching loss + constant for three predictors (VP, t = 0.3; common random numbers)"
            (dsmDraw (Schedules.VpLinear()) 0.3 (fun o x t -> o.ExpectedNoise(x, t))) predictors
        proxyLossCheck "[C4.4] DSM loss = noise-matching loss + constant for three predictors (EDM, t = 2)"
            (dsmDraw (Schedules.Edm()) 2.0 (fun o x t -> o.ExpectedNoise(x, t))) predictors
        proxyLossCheck "[C8.3] CFM loss = FM loss + constant for three velocity predictors (linear interpolant, t_gen = 0.6)"
            (cfmDraw (Schedules.LinearInterpolant()) 0.6) predictors
        proxyLossCheck "[C8.5] conditional score matching = marginal score matching + constant (VP, t_gen = 0.5)"
            (csmDraw (Schedules.VpLinear()) 0.5) predictors
    ]
