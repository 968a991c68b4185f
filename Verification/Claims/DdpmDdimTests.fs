/// DDPM and DDIM as discretisations (THEORY section 7): the discrete optimum (C7.5), the exact step
/// posterior (C7.6), first-order matching of DDPM and reverse-SDE Euler–Maruyama (C7.8a), and the
/// exact sampler identities DDIM(0) = DPM-Solver-1 (C7.10) and DDIM(1) = DDPM(beta~) (C7.11).
module Verified.Verification.Claims.DdpmDdimTests

open System
open Expecto
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Generators
open Verified.Verification.Properties
open Verified.Verification.Statistics
open Verified.Verification.Claims.AnalyticToolsTests
open Verified.Verification.Fixtures

/// One step of a sampler from x at t to s with no noise: the step's mean map.
let stepMean (sampler: Sampler) (model: IDiffusionModel) (x: float[]) (t: float) (s: float) =
    (sampler.Sample(model, ReadOnlySpan x, TimeGrid [| t; s |], ZeroNoise.Instance)).State

/// Local-order check: gap(h) = |A(x, t -> t-h) - B(x, t -> t-h)| over halving h; the ratios gap(h)/gap(h/2).
let localGapRatios (gap: float -> float) (hs: float list) =
    hs |> List.map (fun h -> gap h / gap (h / 2.0))

/// Local-order-2 verdict: every ratio above 3.5 (an O(h^2) gap divides by ~4 when h halves; for some data, e.g.
/// a single point mass, the h^2 term cancels and the ratio is ~8, which is still "at least order 2").
let isLocalOrderTwo (ratios: float list) = ratios |> List.forall (fun r -> r > 3.5)

/// C7.8a gap: |DDPM(beta) mean - reverse-SDE EM mean| for one step of size h from x at t.
let ddpmEmGap (ddpmModel: IDiffusionModel) (emModel: IDiffusionModel) (x: float[]) (t: float) (h: float) =
    let a = stepMean (Ddpm DdpmVariance.Beta) ddpmModel x t (t - h)
    let b = stepMean (ReverseSdeEulerMaruyama()) emModel x t (t - h)
    sqrt (Array.fold2 (fun acc u v -> acc + (u - v) ** 2.0) 0.0 a b)

let halvings = [ 0.004; 0.002; 0.001; 0.0005 ]

/// C7.5 by simulation: the discrete chain x_i = sqrt(1 - beta_i) x_{i-1} + sqrt(beta_i) z, run step by step from
/// a 1-D mixture, has the oracle's law at t_i of the continuised schedule (chi-square over bins).
let chainMarginalCheck =
    { Name = "[C7.5] the discrete chain run step by step reaches q_i = p_{t_i} of the continuised schedule (chi-square, step 30 of 100)"
      Alpha = checkAlpha
      Run = fun seed ->
        let chain = DiscreteSchedule.Linear(100, 1e-3, 0.05)
        let mixture = Fixtures.bimodal
        let i = 30
        let xs = Exact.drawMany 20_000 seed (fun rng ->
            let mutable x = (snd (Exact.drawData mixture rng))[0]
            for j in 1 .. i do x <- sqrt (1.0 - chain.Beta j) * x + sqrt (chain.Beta j) * rng.NextGaussian()
            x)
        let s = chain.Continuise()
        let oracle = MixtureOracle(mixture, s)
        let t = chain.Time i
        let edges = Array.init 21 (fun k -> -4.0 + 0.4 * float k)
        let inner = Fixtures.binProbabilities (fun v -> oracle.Density([| v |], t)) edges
        let lower = (Fixtures.binProbabilities (fun v -> oracle.Density([| v |], t)) [| -15.0; edges[0] |])[0]
        let probs = Array.concat [ [| lower |]; inner; [| 1.0 - lower - Array.sum inner |] ]
        let counts = Array.zeroCreate probs.Length
        for x in xs do
            let bin = if x < edges[0] then 0 elif x >= edges[20] then 21 else 1 + min 19 (int ((x - edges[0]) / 0.4))
            counts[bin] <- counts[bin] + 1
        outcome (chiSquareGof counts probs) (sprintf "counts %A" counts) }

/// C7.5: the discrete optimum E[eps | x_i = x] over exact posterior draws equals -sqrt(1 - abar_i) grad log q_i(x).
let discreteOptimumCheck =
    { Name = "[C7.5] discrete optimum E[eps | x_i = x] = -sqrt(1 - abar_i) grad log q_i(x) = eps*(x, t_i) (Monte Carlo)"
      Alpha = checkAlpha
      Run = fun seed ->
        let chain = DiscreteSchedule.Linear 1000
        let s = chain.Continuise()
        let oracle = MixtureOracle(labelledMixture, s)
        let ps =
            [ for i, x in [ 150, [| 0.5; -0.3 |]; 600, [| -0.2; 0.9 |] ] do
                let t = chain.Time i
                let post = Exact.Posterior(labelledMixture, s, x, t)
                let sab, s1 = sqrt (chain.AlphaBar i), sqrt (chain.OneMinusAlphaBar i)
                let eps = Exact.drawMany 20_000 (Xoshiro256.Derive(seed, uint64 i)) (fun rng ->
                    let x0 = post.Draw rng
                    Array.init 2 (fun j -> (x[j] - sab * x0[j]) / s1))
                yield vectorMeanTest (oracle.Score(x, t) |> Array.map (fun v -> -s1 * v)) eps ]
        outcome (bonferroni ps) (sprintf "p %A" ps) }

let tests =
    testList "Claims.DdpmDdim" [
        testProp "[C7.6] q(x_{i-1}|x_i,x0) = N(mu~_i, beta~_i I): chain formulas equal the exact Gaussian conditional, and the noise form of mu~ agrees" <| fun (Normal2 x0) (Normal2 xi) (f: InteriorFraction) ->
            let chain = DiscreteSchedule.Linear 200
            let i = 2 + int (f.Value * 197.0)
            let b, ab, ab1 = chain.Beta i, chain.AlphaBar i, chain.AlphaBar(i - 1)
            let muTilde = Array.init 2 (fun j -> sqrt ab1 * b / (1.0 - ab) * x0[j] + sqrt (1.0 - b) * (1.0 - ab1) / (1.0 - ab) * xi[j])
            let data = GaussianFlow(x0, Array2D.zeroCreate 2 2, chain.Continuise())
            let mean, cov = data.ReverseTransition(xi, chain.Time i, chain.Time(i - 1))
            Expect.isLessThan (Tolerances.relativeError 1.0 muTilde mean) Tolerances.twoRoutes "mu~"
            // beta~ is O(1e-4) at the first steps and comes from 1 - alphabar cancellations: 1e-8 relative, not round-off
            Expect.isLessThan (Tolerances.relativeScalar 1e-12 cov[0, 0] (chain.BetaTilde i)) 1e-8 "beta~"
            let eps = Array.init 2 (fun j -> (xi[j] - sqrt ab * x0[j]) / sqrt (1.0 - ab))
            let noiseForm = Array.init 2 (fun j -> (xi[j] - b / sqrt (1.0 - ab) * eps[j]) / sqrt (1.0 - b))
            Expect.isLessThan (Tolerances.relativeError 1.0 noiseForm muTilde) Tolerances.twoRoutes "noise form"

        testProp "[C7.8] (a) DDPM mean and reverse-SDE EM mean agree to O(h^2) per step: the gap divides by ~4 when h halves" <| fun (spec: MixtureSpec) (f: InteriorFraction) (p: PointSeed) ->
            let s = Schedules.VpLinear()
            let model = OracleModel(spec.Build(), s)
            let t = 0.2 + 0.7 * f.Value
            let x = pointNear model.Oracle.Mixture s t p.Value
            let gap = ddpmEmGap model model x t
            let ratios = localGapRatios gap halvings
            // a gap already at round-off at the smallest step carries no order information
            let roundOff = gap (List.last halvings / 2.0) < 1e-12 * (1.0 + Array.sumBy abs x)
            Expect.isTrue (roundOff || isLocalOrderTwo ratios) (sprintf "gap ratios %A at t = %g" ratios t)

        testCase "[C7.10] [S5.6] DDIM(eta = 0) equals DPM-Solver-1 step by step to round-off on every schedule" <| fun () ->
            for s in allSchedules () do
                let model = OracleModel(labelledMixture, s)
                let grid = TimeGrids.UniformTime(s, 25, s.TMin + 0.9 * (s.TMax - s.TMin), s.TMin + 0.02 * (s.TMax - s.TMin))
                let trace (sampler: Sampler) =
                    let path = ResizeArray()
                    sampler.Sample(model, ReadOnlySpan [| 0.4; 1.1 |], grid, ZeroNoise.Instance, StepCallback(fun _ _ x -> path.Add(x.ToArray()))) |> ignore
                    path
                let a, b = trace (Ddim 0.0), trace (DpmSolver1())
                for k in 0 .. a.Count - 1 do
                    // one update written in two arrangements, step by step: a few ulps
                    Expect.isLessThan (Tolerances.relativeError 1.0 a[k] b[k]) 1e-12 (sprintf "%s step %d" s.Name k)

        testCase "[C7.11] DDIM(eta = 1) equals DDPM ancestral with beta~ to round-off (same noise) on VP schedules and discrete grids" <| fun () ->
            let chain = DiscreteSchedule.Linear 1000
            for s, grid in [ Schedules.VpLinear(), TimeGrids.UniformTime(Schedules.VpLinear(), 50, 1.0, 1e-3)
                             chain.Continuise(), TimeGrids.Discrete(chain, TimestepSpacing.Trailing, 20)
                             Schedules.VpCosine(), TimeGrids.UniformTime(Schedules.VpCosine(), 30, 0.99, 1e-3) ] do
                let model = OracleModel(labelledMixture, s)
                let run (sampler: Sampler) = (sampler.Sample(model, ReadOnlySpan [| -0.3; 0.8 |], grid, SeededNoise 5UL)).State
                // 20-30 steps of two arrangements of one update: round-off accumulates over the steps
                Expect.isLessThan (Tolerances.relativeError 1.0 (run (Ddim 1.0)) (run (Ddpm DdpmVariance.BetaTilde))) 1e-10 s.Name
    ]

let statistical = statList "Claims.DdpmDdim" [ chainMarginalCheck; discreteOptimumCheck ]
