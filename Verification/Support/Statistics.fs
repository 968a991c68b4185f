/// Significance tests with exactly known null distributions, and the harness that runs every Monte
/// Carlo check of the suite: a check is a function seed -> p-value, declared with its false-alarm
/// probability alpha; it fails when p < alpha. Normal runs use a fixed seed per check (derived from
/// its name); stress mode (VERIFIED_STRESS=1) reruns each check with fresh seeds and reports the
/// observed rejection rate (docs/STATISTICS.md).
module Verified.Verification.Statistics

open System
open MathNet.Numerics
open Expecto

// ---------------------------------------------------------------------------------------------
// False-alarm budget (docs/STATISTICS.md). The total over all checks must stay <= totalBudget;
// Verification.Catalogue asserts it by summing the alphas of every registered check.

/// Upper bound on the probability that a normal run fails by chance (all checks together).
let totalBudget = 1e-4
/// The per-check false-alarm probability of an ordinary statistical check.
let checkAlpha = 1e-6

// ---------------------------------------------------------------------------------------------
// p-values

/// Two-sided normal p-value P(|Z| >= |z|) = erfc(|z| / sqrt 2).
let normalTwoSided (z: float) = SpecialFunctions.Erfc(abs z / sqrt 2.0)

/// Upper tail of the chi-square law with k degrees of freedom, P(X >= x) (regularised upper gamma).
let chiSquareUpper (k: float) (x: float) = if x <= 0.0 then 1.0 else SpecialFunctions.GammaUpperRegularized(k / 2.0, x / 2.0)

/// Two-sided chi-square p-value for a statistic that should be ~ chi2(k) (small AND large are suspicious).
let chiSquareTwoSided (k: float) (x: float) =
    let upper = chiSquareUpper k x
    min 1.0 (2.0 * min upper (1.0 - upper))

/// Bonferroni combination: the family of m p-values rejects at alpha iff m * min p < alpha.
let bonferroni (ps: float seq) =
    let ps = Array.ofSeq ps
    if ps.Length = 0 then 1.0 else min 1.0 (float ps.Length * Array.min ps)

/// Kolmogorov's limiting law Q(l) = 2 sum_k (-1)^(k-1) exp(-2 k^2 l^2) (upper tail of sqrt(n) D).
let kolmogorovUpper (l: float) =
    if l < 0.2 then 1.0
    else
        let mutable acc = 0.0
        for k in 1 .. 100 do
            let term = exp (-2.0 * float (k * k) * l * l)
            acc <- acc + (if k % 2 = 1 then term else -term)
        max 0.0 (min 1.0 (2.0 * acc))

/// One-sample Kolmogorov–Smirnov test against a continuous CDF, with Stephens' finite-n correction.
let ksOneSample (cdf: float -> float) (sample: float[]) =
    let xs = Array.sort sample
    let n = float xs.Length
    let mutable d = 0.0
    xs |> Array.iteri (fun i x ->
        let f = cdf x
        d <- max d (max (float (i + 1) / n - f) (f - float i / n)))
    let sn = sqrt n
    kolmogorovUpper ((sn + 0.12 + 0.11 / sn) * d)

/// Two-sample Kolmogorov–Smirnov test (asymptotic law with the effective size nm/(n+m)).
let ksTwoSample (a: float[]) (b: float[]) =
    let xa, xb = Array.sort a, Array.sort b
    let na, nb = float xa.Length, float xb.Length
    let mutable i, j, d = 0, 0, 0.0
    while i < xa.Length && j < xb.Length do
        let v = min xa[i] xb[j]
        while i < xa.Length && xa[i] <= v do i <- i + 1
        while j < xb.Length && xb[j] <= v do j <- j + 1
        d <- max d (abs (float i / na - float j / nb))
    let ne = sqrt (na * nb / (na + nb))
    kolmogorovUpper ((ne + 0.12 + 0.11 / ne) * d)

/// Pearson chi-square goodness of fit of counts against probabilities (bins with expectation < 5 should be merged by the caller).
let chiSquareGof (counts: int[]) (probabilities: float[]) =
    let n = float (Array.sum counts)
    let stat = Array.fold2 (fun acc (c: int) p -> let e = n * p in acc + (float c - e) ** 2.0 / e) 0.0 counts probabilities
    chiSquareUpper (float (counts.Length - 1)) stat

let mean (xs: float[]) = Array.average xs
let variance (xs: float[]) = let m = mean xs in (xs |> Array.sumBy (fun x -> (x - m) ** 2.0)) / float (xs.Length - 1)

/// z-test of a sample mean against a known mean, with the variance estimated from the sample
/// (n >= 1000, where Student's t and the normal agree far beyond the alphas used here).
let meanTest (expected: float) (xs: float[]) =
    normalTwoSided ((mean xs - expected) / sqrt (variance xs / float xs.Length))

/// z-test of a sample mean against a known mean when the variance is known exactly.
let meanTestKnownVariance (expected: float) (knownVariance: float) (xs: float[]) =
    normalTwoSided ((mean xs - expected) / sqrt (knownVariance / float xs.Length))

/// Variance of Gaussian data against a known variance: (n - 1) s^2 / v ~ chi2(n - 1), two-sided.
let gaussianVarianceTest (expected: float) (xs: float[]) =
    chiSquareTwoSided (float (xs.Length - 1)) (float (xs.Length - 1) * variance xs / expected)

/// Variance against a known value for non-Gaussian data: z-test on the squared deviations from the known mean.
let varianceTestKnownMean (knownMean: float) (expected: float) (xs: float[]) =
    meanTest expected (xs |> Array.map (fun x -> (x - knownMean) ** 2.0))

/// Independence of two Gaussian samples (paired): Fisher's z of the sample correlation ~ N(0, 1/(n-3)).
let correlationTest (a: float[]) (b: float[]) =
    let ma, mb = mean a, mean b
    let sab = Array.fold2 (fun acc x y -> acc + (x - ma) * (y - mb)) 0.0 a b
    let r = sab / sqrt ((a |> Array.sumBy (fun x -> (x - ma) ** 2.0)) * (b |> Array.sumBy (fun y -> (y - mb) ** 2.0)))
    normalTwoSided (0.5 * log ((1.0 + r) / (1.0 - r)) * sqrt (float (a.Length - 3)))

/// Mean of vector samples against a known vector: a z-test per coordinate, Bonferroni over coordinates.
let vectorMeanTest (expected: float[]) (samples: float[][]) =
    bonferroni [ for i in 0 .. expected.Length - 1 -> meanTest expected[i] (samples |> Array.map (fun v -> v[i])) ]

/// Binomial upper tail P(X >= k), X ~ Bin(n, p).
let binomialUpper (n: int) (p: float) (k: int) =
    if k <= 0 then 1.0 else SpecialFunctions.BetaRegularized(float k, float (n - k + 1), p)

// ---------------------------------------------------------------------------------------------
// The harness

/// What one run of a check found: its p-value and a line for the log.
type Outcome = { PValue: float; Detail: string }

/// A Monte Carlo check: name, false-alarm probability alpha, and the run from a seed.
type StatCheck = { Name: string; Alpha: float; Run: uint64 -> Outcome }

let outcome p detail = { PValue = p; Detail = detail }

/// A fixed seed per check, from the FNV-1a hash of its name (stable across runs and .NET versions).
let seedOf (name: string) =
    let mutable h = 14695981039346656037UL
    for c in name do h <- (h ^^^ uint64 c) * 1099511628211UL
    h

let private envInt (name: string) (fallback: int) =
    match Int32.TryParse(Environment.GetEnvironmentVariable name) with
    | true, v when v > 0 -> v
    | _ -> fallback

/// True when VERIFIED_STRESS=1: statistical checks run repeatedly with fresh seeds.
let stressMode = Environment.GetEnvironmentVariable "VERIFIED_STRESS" = "1"
/// Repetitions per check in stress mode (VERIFIED_STRESS_REPEATS, default 20).
let stressRepeats = envInt "VERIFIED_STRESS_REPEATS" 20
/// VERIFIED_SEED replays one seed for every check (to reproduce a reported failure).
let replaySeed =
    match UInt64.TryParse(Environment.GetEnvironmentVariable "VERIFIED_SEED") with
    | true, v -> Some v
    | _ -> None

/// Stress-mode verdict threshold: the observed number of rejections is implausible under the
/// declared alpha when its binomial upper tail is below this.
let stressImplausible = 1e-3

/// The Expecto test of a check, named "<name> (alpha <alpha>)" (the catalogue sums these). Normal mode: one run with the fixed (or replayed) seed; fails when
/// p < alpha and prints the seed. Stress mode: stressRepeats runs with fresh seeds; prints the
/// rejection counts at alpha and at 0.01 (a calibration view) and fails when the count at alpha is implausible.
let statTest (check: StatCheck) =
    testCase (sprintf "%s (alpha %g)" check.Name check.Alpha) <| fun () ->
        if stressMode then
            let rng = Random()
            let runs =
                [| for _ in 1 .. stressRepeats do
                       let seed = uint64 (rng.NextInt64())
                       yield seed, check.Run seed |]
            let rejected = runs |> Array.filter (fun (_, o) -> o.PValue < check.Alpha)
            let below01 = runs |> Array.filter (fun (_, o) -> o.PValue < 0.01) |> Array.length
            printfn "STRESS | %s | alpha %g | rejected %d/%d | p<0.01: %d/%d | min p %.3g%s"
                check.Name check.Alpha rejected.Length runs.Length below01 runs.Length
                (runs |> Array.map (fun (_, o) -> o.PValue) |> Array.min)
                (if rejected.Length > 0 then sprintf " | seeds %A" (rejected |> Array.map fst) else "")
            let tail = binomialUpper runs.Length check.Alpha rejected.Length
            if tail < stressImplausible then
                failtestf "%d of %d fresh-seed runs rejected at alpha = %g (binomial tail %g); seeds %A"
                    rejected.Length runs.Length check.Alpha tail (rejected |> Array.map fst)
        else
            let seed = defaultArg replaySeed (seedOf check.Name)
            let o = check.Run seed
            if Double.IsNaN o.PValue || o.PValue < check.Alpha then
                failtestf "p = %g < alpha = %g: %s (replay with VERIFIED_SEED=%d)" o.PValue check.Alpha o.Detail seed

/// A test list of statistical checks; its name always contains "Statistical" so that
/// `--filter-test-list Statistical` (stress mode) selects exactly these.
let statList (area: string) (checks: StatCheck list) =
    testList (area + ".Statistical") (checks |> List.map statTest)
