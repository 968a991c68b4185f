/// Samplers against the oracle (THEORY sections 3, 5, 6, 7, F): with Gaussian data the exact output law
/// (OutputLaw, no Monte Carlo) must converge to p_{t_min} at the sampler's declared weak order; with
/// mixture data a distribution test compares sampler outputs with exact draws. Every start is the exact
/// p_T, so prior mismatch does not mix into the discretisation error.
module Verified.Verification.Claims.SamplerTests

open System
open System.Collections.Generic
open Expecto
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Fixtures
open Verified.Verification.Statistics
open Verified.Verification.SamplerLaw

let tMin = 1e-3
let vp = Schedules.VpLinear()
let vpGrid n = TimeGrids.UniformTime(vp, n, 1.0, tMin)
let follmerGrid n = TimeGrids.UniformTime(Schedules.Follmer(), n, 1.0 - 1e-3, 0.0)

/// The exact-law verdict for one sampler: W2 at the finest grid below 0.05 and the report's claim rule (OrderClaim:
/// converges at least at the declared weak order, exact tier, the ladder extended while pre-asymptotic) says PASS.
/// Returns (verdict, explanation) so the negative controls run the same check.
let reachesLaw (sampler: Sampler) (model: OracleModel) (grid: int -> TimeGrid) (counts: int list) =
    let declared = sampler.Info.WeakOrder.Value
    let measure (steps: IReadOnlyList<int>) =
        ResizeArray [ for n in steps -> Verified.Reports.Analysis.ErrorPoint(n, exactW2 sampler model (grid n), 0.0) ] :> IReadOnlyList<_>
    let judged = Verified.Reports.Analysis.OrderClaim.JudgeExtending(Verified.Reports.Analysis.Tier.Exact, declared, ResizeArray counts, measure, id, 1e-12)
    let finest = judged.Ladder[judged.Ladder.Count - 1].Error
    finest < 0.05 && judged.Judgement.Verdict = Verified.Reports.Analysis.Verdict.Pass,
    sprintf "%s on %s: W2 %A, declared %g: %O %s" sampler.Info.Name model.Schedule.Name [ for p in judged.Ladder -> p.Steps, p.Error ] declared judged.Judgement.Verdict judged.Judgement.Reason

let expectReachesLaw (sampler: Sampler) (model: OracleModel) (grid: int -> TimeGrid) (counts: int list) =
    let ok, why = reachesLaw sampler model grid counts
    Expect.isTrue ok why

let ladder = [ 32; 64; 128; 256 ]

/// CF.3 frozen-denoiser Föllmer step in generative time s -> s' (written from THEORY, not from the samplers):
/// X_{s'} = x + (s'-s)/(1-s) (E[Y|X_s = x] - x) + sqrt((s'-s)(1-s')/(1-s)) z.
let frozenFollmerStep (view: GenerativeView) (x: float[]) (s: float) (s': float) (z: float[]) =
    let y = view.ExpectedData(x, s)
    let sd = sqrt ((s' - s) * (1.0 - s') / (1.0 - s))
    Array.init x.Length (fun i -> x[i] + (s' - s) / (1.0 - s) * (y[i] - x[i]) + sd * z[i])

/// C6.4 gap: guided PF-ODE Heun samples at scale w (1-D labelled mixture, class 1) against the normalised tilt
/// p_tmin(x) p_tmin(c|x)^w / Z on 32 bins (tilt integrated by Simpson). Returns (chi-square p, total variation).
let tiltGap (w: float) (seed: uint64) =
    let mixture = GaussianMixture.Isotropic([| 0.5; 0.3; 0.2 |], [| [| -2.0 |]; [| 1.0 |]; [| 3.0 |] |], [| 0.3; 0.2; 0.3 |], [| 0; 1; 1 |])
    let cc = ClassConditional(MixtureOracle(mixture, vp))
    let xs = outputs (Heun()) (ClassifierGuidedModel(cc, 1, w)) mixture (vpGrid 100) 5_000 seed |> Array.map (fun x -> x[0])
    let tilt (x: float) = exp (cc.Oracle.LogDensity([| x |], tMin) + w * cc.LogClassPosterior([| x |], tMin, 1))
    let edges = Array.init 31 (fun k -> -5.0 + 11.0 * float k / 30.0)
    let inner = Fixtures.binProbabilities tilt edges
    let lower = (Fixtures.binProbabilities tilt [| -12.0; edges[0] |])[0]
    let upper = (Fixtures.binProbabilities tilt [| edges[30]; 12.0 |])[0]
    let raw = Array.concat [ [| lower |]; inner; [| upper |] ]
    let z = Array.sum raw
    let probs = raw |> Array.map (fun q -> q / z)
    let counts = Array.zeroCreate probs.Length
    for x in xs do
        let bin = if x < edges[0] then 0 elif x >= edges[30] then 31 else 1 + min 29 (int ((x - edges[0]) / (11.0 / 30.0)))
        counts[bin] <- counts[bin] + 1
    let n = float xs.Length
    chiSquareGof counts probs, 0.5 * Array.fold2 (fun acc (c: int) q -> acc + abs (float c / n - q)) 0.0 counts probs

let tests =
    testList "Claims.Samplers" [
        testCase "[C3.2] [S5.1] reverse-SDE Euler–Maruyama: exact output law converges to p_tmin at weak order 1 (VP, VE, EDM)" <| fun () ->
            for s, t0, t1 in [ vp, 1.0, tMin; Schedules.Ve(0.01, 10.0), 1.0, 0.05; Schedules.Edm(10.0), 10.0, 0.05 ] do
                expectReachesLaw (ReverseSdeEulerMaruyama()) (OracleModel(gaussianData, s)) (fun n -> TimeGrids.UniformTime(s, n, t0, t1)) ladder

        testCase "[C3.3] [S5.2] [S5.3] PF-ODE Euler (order 1) and Heun (order 2): exact output laws converge to p_tmin" <| fun () ->
            for sampler in [ PfOdeEuler() :> Sampler; Heun() ] do
                expectReachesLaw sampler (OracleModel(gaussianData, vp)) vpGrid ladder

        testCase "[C3.4] ODE and SDE share marginals but not path laws: from a fixed x_T the ODE output is a point, the SDE's has the exact reverse-transition covariance" <| fun () ->
            let model = OracleModel(gaussianData, vp)
            let xT = [| 0.3; -0.8 |]
            let fixedStart = GaussianLaw(xT, Array2D.zeroCreate 2 2)
            let grid = vpGrid 512
            let ode = OutputLaw.Compute(PfOdeEuler(), model, grid, fixedStart)
            let sde = OutputLaw.Compute(ReverseSdeEulerMaruyama(), model, grid, fixedStart)
            let _, exactCov = GaussianFlow(gaussianData, vp).ReverseTransition(xT, 1.0, tMin)
            let norm (m: float[,]) = sqrt (Seq.sum (seq { for i in 0 .. 1 do for j in 0 .. 1 -> m[i, j] * m[i, j] }))
            // Var[x_0 | x_T] = 0 for the ODE held for any deterministic sampler (A 0 A^T = 0), so it is not asserted;
            // what can fail is the point itself: the law engine's mean against a direct run from x_T.
            let direct = (PfOdeEuler().Sample(model, System.ReadOnlySpan xT, grid, ZeroNoise.Instance)).State
            Expect.isLessThan (Tolerances.relativeError 1.0 ode.Mean direct) Tolerances.twoRoutes "the ODE output law from a point is the point the sampler reaches"
            Expect.isGreaterThan (norm exactCov) 0.1 "the exact reverse transition is not degenerate"
            let diff = Array2D.init 2 2 (fun i j -> sde.Covariance[i, j] - exactCov[i, j])
            Expect.isLessThan (norm diff / norm exactCov) 0.02 "SDE conditional covariance = exact reverse-transition covariance"
            // and yet the one-time marginals from the exact p_T agree (to discretisation error)
            let w2Marg = (OutputLaw.Compute(Heun(), model, grid)).Wasserstein2(OutputLaw.Compute(ReverseSdeEulerMaruyama(), model, grid))
            Expect.isLessThan w2Marg 0.01 "same one-time marginal"

        testCase "[C3.5] generalised family (gamma^2 = c g2, c = 0, 0.3, 1, 2.5): every member's exact output law converges to p_tmin" <| fun () ->
            for c in [ 0.0; 0.3; 1.0; 2.5 ] do
                expectReachesLaw (GeneralisedReverse c) (OracleModel(gaussianData, vp)) vpGrid ladder

        testCase "[C7.7] [S7.7] DDPM ancestral (beta and beta~): exact output law converges to p_tmin at weak order 1" <| fun () ->
            for sampler in [ Ddpm DdpmVariance.Beta :> Sampler; Ddpm DdpmVariance.BetaTilde ] do
                expectReachesLaw sampler (OracleModel(gaussianData, vp)) vpGrid ladder

        testCase "[C7.9] [S7.9] DDIM(eta) for eta = 0, 0.5, 1: exact output law converges to p_tmin at weak order 1" <| fun () ->
            for eta in [ 0.0; 0.5; 1.0 ] do
                expectReachesLaw (Ddim eta) (OracleModel(gaussianData, vp)) vpGrid ladder

        testCase "[CF.4] Föllmer EM, Föllmer bridge and EM on the Föllmer schedule reach X_1 ~ p_0 with weak order 1" <| fun () ->
            for sampler in [ FollmerEulerMaruyama() :> Sampler; ReverseSdeEulerMaruyama() ] do
                expectReachesLaw sampler (OracleModel(gaussianData, Schedules.Follmer())) follmerGrid ladder
            // The bridge's W2 on uniform-time grids ending at t = 0 decays like N^-1 log N (local orders 0.76, 0.78, 0.80,
            // 0.82 on N = 32..512 match 1 - log2(log 2N / log N)): order 1 only up to a logarithm, which the claim rule
            // does not accept as "at least order 1". On the report's Föllmer grid (uniform in lambda down to t = 1e-3)
            // it converges at order 1, and that is what is checked here.
            let follmer = Schedules.Follmer()
            expectReachesLaw (FollmerBridge()) (OracleModel(gaussianData, follmer)) (fun n -> TimeGrids.UniformLambda(follmer, n, 1.0 - 1e-3, 1e-3)) ladder

        testCase "[CF.3] frozen-denoiser Föllmer step (THEORY formula and FollmerBridge) on s_i = abar_i is exactly DDPM ancestral with beta~ under X = sqrt(abar) x" <| fun () ->
            let chain = DiscreteSchedule.Linear 1000
            let vpChain = chain.Continuise()
            let follmer = GenerativeView(MixtureOracle(samplerMixture, Schedules.Follmer()))
            let steps = DiscreteSchedule.Timesteps(TimestepSpacing.Linspace, 1000, 25)
            let grid = TimeGrid(steps |> Array.map chain.Time)
            let noise = RecordingNoise(SeededNoise 17UL)
            let xVp0 = [| 0.4; -0.9 |]
            let ddpm = ResizeArray()
            (Ddpm DdpmVariance.BetaTilde).Sample(OracleModel(samplerMixture, vpChain), ReadOnlySpan xVp0, grid, noise,
                                                 StepCallback(fun _ _ x -> ddpm.Add(x.ToArray()))) |> ignore
            let bridge = ResizeArray()
            let x0 = xVp0 |> Array.map (fun v -> sqrt (chain.AlphaBar steps[0]) * v)
            let follmerTimes = TimeGrid(steps |> Array.map chain.OneMinusAlphaBar)
            FollmerBridge().Sample(OracleModel(samplerMixture, Schedules.Follmer()), ReadOnlySpan x0, follmerTimes, ReplayNoise noise.Draws,
                                   StepCallback(fun _ _ x -> bridge.Add(x.ToArray()))) |> ignore
            let mutable x = x0
            for k in 0 .. steps.Length - 2 do
                let s, s' = chain.AlphaBar steps[k], chain.AlphaBar steps[k + 1]
                x <- frozenFollmerStep follmer x s s' noise.Draws[k]
                let mapped = ddpm[k] |> Array.map (fun v -> sqrt s' * v)
                Expect.isLessThan (Tolerances.relativeError 1.0 x mapped) Tolerances.twoRoutes (sprintf "formula vs DDPM, step %d" k)
                Expect.isLessThan (Tolerances.relativeError 1.0 bridge[k] mapped) Tolerances.twoRoutes (sprintf "FollmerBridge vs DDPM, step %d" k)
    ]

let private classes = ClassConditional(MixtureOracle(samplerMixture, vp))

/// C6.4 at w = 1, where the tilt p p(c|x) / Z is the class law p_tmin(x | c): guided PF-ODE Heun samples against it
/// (chi-square on 32 bins). A check under the null with its alpha; the old w = 3 'the gap is significant' test was
/// a fixed-seed power statement (nothing states how often it fails when the claim holds) and is dropped: C6.4's
/// identity (the guided score is the tilted density's score) is GuidanceTests' finite-difference test.
let guidedClassLawCheck =
    { Name = "[C6.4] guided PF-ODE Heun at w = 1 (100 steps) samples the class law p_tmin(x | c) = the tilt at w = 1 (chi-square, 32 bins)"
      Alpha = checkAlpha
      Run = fun seed ->
        let p, tv = tiltGap 1.0 seed
        outcome p (sprintf "chi-square p %g, total variation %.4f" p tv) }

let statistical =
    statList "Claims.Samplers" [
        guidedClassLawCheck
        mixtureLawCheck "[C3.2] reverse-SDE EM (300 steps) from exact p_T reaches the mixture p_tmin (occupancy, KS, means)"
            (ReverseSdeEulerMaruyama()) (OracleModel(samplerMixture, vp)) samplerMixture (vpGrid 300) 8000
        mixtureLawCheck "[C3.3] PF-ODE Heun (100 steps) from exact p_T reaches the mixture p_tmin"
            (Heun()) (OracleModel(samplerMixture, vp)) samplerMixture (vpGrid 100) 8000
        mixtureLawCheck "[C3.5] generalised family gamma^2 = 2.5 g2 (300 steps) reaches the mixture p_tmin"
            (GeneralisedReverse 2.5) (OracleModel(samplerMixture, vp)) samplerMixture (vpGrid 300) 8000
        mixtureLawCheck "[C7.7] DDPM ancestral beta~ (300 steps) reaches the mixture p_tmin"
            (Ddpm DdpmVariance.BetaTilde) (OracleModel(samplerMixture, vp)) samplerMixture (vpGrid 300) 8000
        mixtureLawCheck "[C7.9] DDIM(eta = 0.5) (200 steps) reaches the mixture p_tmin"
            (Ddim 0.5) (OracleModel(samplerMixture, vp)) samplerMixture (vpGrid 200) 8000
        mixtureLawCheck "[C6.4] classifier-guided PF-ODE Heun at w = 1 (100 steps) reproduces the class-conditional law p(x | c = 1)"
            (Heun()) (ClassifierGuidedModel(classes, 1, 1.0)) (classes.ClassMixture 1) (vpGrid 100) 8000
        // DPM-Solver-2 rather than DDPM at 300 steps: a stress run showed DDPM's discretisation bias on this
        // single-Gaussian class is resolvable at n = 8000 (p < 0.01 in 14 of 20 runs).
        mixtureLawCheck "[C6.4] classifier-free guided DPM-Solver-2 at w = 1 (100 steps) reproduces the class-conditional law p(x | c = 0)"
            (DpmSolver2()) (ClassifierFreeGuidedModel.FromOracle(classes, 0, 1.0)) (classes.ClassMixture 0) (vpGrid 100) 8000
        mixtureLawCheck "[CF.4] Föllmer EM (300 steps) reaches X_1 ~ p_0 for mixture data"
            (FollmerEulerMaruyama()) (OracleModel(samplerMixture, Schedules.Follmer())) samplerMixture (follmerGrid 300) 8000
    ]
