/// Does a sampler reach the exact law? Two instruments: exact Gaussian output laws (OutputLaw, no Monte
/// Carlo: W2 to the target and its convergence order) for Gaussian data, and a Monte Carlo distribution
/// test for mixture data (mode occupancy, two-sample KS on projections, mean z-tests; Bonferroni).
module Verified.Verification.SamplerLaw

open System
open Verified.Theory
open Verified.Numerics
open Verified.Verification.Statistics

/// W2 between a sampler's exact output law (started from the exact p_{grid.Start}) and p_{grid.End}.
let exactW2 (sampler: Sampler) (model: OracleModel) (grid: TimeGrid) =
    (OutputLaw.Compute(sampler, model, grid)).Wasserstein2(OutputLaw.Target(model, grid.End))

/// Observed order: log2 of successive W2 ratios when the step count doubles, for step counts n, 2n, 4n, ...
let observedOrders (w2At: int -> float) (counts: int list) =
    counts |> List.pairwise |> List.map (fun (a, b) -> log (w2At a / w2At b) / log (float b / float a))

/// n sampler outputs from exact starts x_N ~ p_{grid.Start}; sample i uses its own streams (seed, i).
let outputs (sampler: Sampler) (model: IDiffusionModel) (startMixture: GaussianMixture) (grid: TimeGrid) (n: int) (seed: uint64) =
    Array.Parallel.init n (fun i ->
        let rng = Xoshiro256(Xoshiro256.Derive(seed, uint64 (2 * i)))
        let start = Exact.drawForward startMixture model.Schedule grid.Start rng
        (sampler.Sample(model, ReadOnlySpan start, grid, SeededNoise(Xoshiro256.Derive(seed, uint64 (2 * i + 1))))).State)

/// Chi-square test of homogeneity of two samples' counts over the same K cells (df = K - 1; empty cells dropped).
let homogeneity (a: int[]) (b: int[]) =
    let na, nb = float (Array.sum a), float (Array.sum b)
    let cells = Array.zip a b |> Array.filter (fun (x, y) -> x + y > 0)
    let stat =
        cells |> Array.sumBy (fun (x, y) ->
            let total = float (x + y)
            let ea, eb = total * na / (na + nb), total * nb / (na + nb)
            (float x - ea) ** 2.0 / ea + (float y - eb) ** 2.0 / eb)
    chiSquareUpper (float (cells.Length - 1)) stat

/// Mode occupancy: counts of the component with the largest responsibility under p_t.
let occupancy (oracle: MixtureOracle) (t: float) (xs: float[][]) =
    let counts = Array.zeroCreate oracle.Mixture.Count
    for x in xs do
        let r = oracle.Responsibilities(x, t)
        let k = Array.findIndex (fun v -> v = Array.max r) r
        counts[k] <- counts[k] + 1
    counts

/// The mixture distribution test: sampler outputs vs exact draws from p_t (t = the grid's end): mode occupancy
/// (homogeneity chi-square), two-sample KS on three projections, and z-tests of the first and second moments
/// of each coordinate against the exact ones.
let mixtureLawPValues (target: GaussianMixture) (schedule: Schedule) (t: float) (produced: float[][]) (seed: uint64) =
    let oracle = MixtureOracle(target, schedule)
    let reference = Exact.drawMany produced.Length (Xoshiro256.Derive(seed, 0xFEEDUL)) (Exact.drawForward target schedule t)
    let d = target.Dimension
    let projections = [ for i in 0 .. d - 1 -> Array.init d (fun j -> if i = j then 1.0 else 0.0) ] @ [ Array.create d (1.0 / sqrt (float d)) ]
    let project (v: float[]) (x: float[]) = Array.fold2 (fun acc a b -> acc + a * b) 0.0 v x
    let mean = Exact.marginalMean target schedule t
    [ yield homogeneity (occupancy oracle t produced) (occupancy oracle t reference)
      for v in projections do yield ksTwoSample (produced |> Array.map (project v)) (reference |> Array.map (project v))
      yield vectorMeanTest mean produced
      let cov = Exact.marginalCovariance target schedule t
      for i in 0 .. d - 1 do yield meanTest (cov[i, i] + mean[i] * mean[i]) (produced |> Array.map (fun x -> x[i] * x[i])) ]

/// A StatCheck that a sampler started from the exact p_T reaches the mixture law p_{t_min}.
let mixtureLawCheck (name: string) (sampler: Sampler) (model: IDiffusionModel) (target: GaussianMixture) (grid: TimeGrid) (n: int) =
    { Name = name
      Alpha = checkAlpha
      Run = fun seed ->
        let produced = outputs sampler model target grid n seed
        let ps = mixtureLawPValues target model.Schedule grid.End produced seed
        outcome (bonferroni ps) (sprintf "p-values %A" ps) }
