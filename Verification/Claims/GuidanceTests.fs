/// Guidance (THEORY section 6): Bayes' score identity, the noisy classifier's optimum, classifier-free
/// guidance and the tilted-density score. The sampled law of guided samplers is in Claims.Samplers.
module Verified.Verification.Claims.GuidanceTests

open Expecto
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Generators
open Verified.Verification.Properties
open Verified.Verification.Statistics
open Verified.Verification.Claims.AnalyticToolsTests
open Verified.Verification.Fixtures

/// The class of the component that pointNear centred the point on (so p_t(c | x) does not underflow).
let private classNear (mixture: GaussianMixture) (seed: float[]) = mixture.Label(abs (int (seed[0] * 1000.0)) % mixture.Count)

let private setup (spec: MixtureSpec) (s: Schedule) (f: InteriorFraction) (p: PointSeed) =
    let oracle, t, x = oracleCase spec s f p
    ClassConditional oracle, t, x, classNear oracle.Mixture p.Value

/// C6.2 cases: a labelled mixture with unequal class priors (0.2, 0.8), so a classifier that ignores the prior
/// is not optimal, and the shared labelled mixture; each at one time of two schedules.
let private crossEntropyCases =
    let unequal =
        GaussianMixture([| 0.2; 0.5; 0.3 |], [| [| -1.5; 0.5 |]; [| 1.0; 1.0 |]; [| 0.5; -1.5 |] |],
                        [| array2D [ [ 0.4; 0.1 ]; [ 0.1; 0.3 ] ]; array2D [ [ 0.3; 0.0 ]; [ 0.0; 0.5 ] ]; array2D [ [ 0.2; 0.0 ]; [ 0.0; 0.2 ] ] |],
                        [| 0; 1; 1 |])
    [ unequal, Schedules.VpLinear(), 0.4
      labelledMixture, Schedules.Edm(), 0.8 ]

/// A perturbation direction h_c(x) per class for the tilted classifiers q_e(c | x) prop. to q(c | x) exp(e h_c(x)).
let private direction (c: int) (x: float[]) = if c = 1 then x[0] + 0.5 else -0.5 * x[1]

/// q_e(. | x) from q(. | x): the classifier tilted along the direction h, renormalised.
let private tilted (e: float) (q: float[]) (x: float[]) =
    let w = q |> Array.mapi (fun c qc -> qc * exp (e * direction c x))
    let z = Array.sum w
    w |> Array.map (fun v -> v / z)

/// d/de [-log q_e(c | x)] at e = 0: -h_c(x) + sum_c' q(c' | x) h_c'(x) (the softmax tilt's derivative).
let private crossEntropySlope (q: float[]) (c: int) (x: float[]) =
    -(direction c x) + Seq.sum (seq { for k in 0 .. q.Length - 1 -> q[k] * direction k x })

/// C6.2 by quadrature: the expected cross-entropy L(e) = sum_c p(c) int p_t(x | c) (-log q_e(c | x)) dx, with the
/// joint law from each class's own sub-mixture density (ClassMixture, not the posterior) and q_0 the oracle's
/// ClassPosterior; midpoint rule on a box of +-7 standard deviations around the noised means.
let crossEntropyByQuadrature (mixture: GaussianMixture) (s: Schedule) (t: float) (es: float list) =
    let cc = ClassConditional(MixtureOracle(mixture, s))
    let classes = [| for c in 0 .. cc.ClassCount - 1 -> mixture.ClassPrior c, MixtureOracle(cc.ClassMixture c, s) |]
    let a, sg = s.Alpha t, s.Sigma t
    let spread = sqrt (a * a * Seq.max (seq { for k in 0 .. mixture.Count - 1 do yield! mixture.ComponentEigenvalues k }) + sg * sg)
    let lo = [| for i in 0 .. 1 -> a * Seq.min (seq { for k in 0 .. mixture.Count - 1 -> (mixture.Mean k)[i] }) - 7.0 * spread |]
    let hi = [| for i in 0 .. 1 -> a * Seq.max (seq { for k in 0 .. mixture.Count - 1 -> (mixture.Mean k)[i] }) + 7.0 * spread |]
    let n = 240
    let hx, hy = (hi[0] - lo[0]) / float n, (hi[1] - lo[1]) / float n
    let losses = Array.zeroCreate (List.length es)
    let mutable mass = 0.0
    for i in 0 .. n - 1 do
        for j in 0 .. n - 1 do
            let x = [| lo[0] + (float i + 0.5) * hx; lo[1] + (float j + 0.5) * hy |]
            let q = cc.ClassPosterior(x, t)
            es |> List.iteri (fun m e ->
                let qe = tilted e q x
                for c in 0 .. classes.Length - 1 do
                    let prior, classOracle = classes[c]
                    let joint = prior * classOracle.Density(x, t) * hx * hy
                    if joint > 0.0 then losses[m] <- losses[m] - joint * log qe[c]
                    if m = 0 then mass <- mass + joint)
    losses, mass

/// C6.2 by Monte Carlo over the joint law drawn by its definition (component k ~ w, x0 ~ N(mu_k, S_k), c = label k,
/// x_t = alpha x0 + sigma z): the slope of the cross-entropy at the exact posterior has mean 0 (z-test), and the
/// cross-entropy gap of the tilted classifier q_0.5 has the mean the quadrature gives (z-test); Bonferroni over
/// both tests and both cases.
let crossEntropyCheck =
    { Name = "[C6.2] the exact class posterior minimises the expected cross-entropy: zero slope and the quadrature's gap for a tilted classifier (joint law drawn by its definition)"
      Alpha = checkAlpha
      Run = fun seed ->
        let ps =
            crossEntropyCases |> List.mapi (fun i (mixture, s, t) ->
                let cc = ClassConditional(MixtureOracle(mixture, s))
                let losses, _ = crossEntropyByQuadrature mixture s t [ 0.0; 0.5 ]
                let draws = Exact.drawMany 40_000 (Xoshiro256.Derive(seed, uint64 i)) (fun rng ->
                    let k, x0 = Exact.drawData mixture rng
                    let c = mixture.Label k
                    let x = x0 |> Array.map (fun v -> s.Alpha t * v + s.Sigma t * rng.NextGaussian())
                    let q = cc.ClassPosterior(x, t)
                    crossEntropySlope q c x, log q[c] - log ((tilted 0.5 q x).[c]))
                [ meanTest 0.0 (Array.map fst draws); meanTest (losses[1] - losses[0]) (Array.map snd draws) ])
            |> List.concat
        outcome (bonferroni ps) (sprintf "p (slope, gap) per case %A" ps) }

let tests =
    testList "Claims.Guidance" [
        testProp "[C6.1] grad log p_t(x|c) = grad log p_t(x) + grad log p_t(c|x) (classifier term by finite differences)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let cc, t, x, c = setup spec s f p
            let classifier = Differences.gradient (fun y -> cc.LogClassPosterior(y, t, c)) x (Residuals.spaceStep s t)
            let bayes = Array.map2 (+) (cc.Oracle.Score(x, t)) classifier
            Expect.isLessThan (Tolerances.relativeError 1.0 (cc.ConditionalScore(x, t, c)) bayes) Tolerances.finiteDifference "Bayes"

        testCase "[C6.2] the exact class posterior minimises the expected cross-entropy by quadrature: tilting it either way costs, and the slope at it is 0" <| fun () ->
            for mixture, s, t in crossEntropyCases do
                let es = [ 0.0; -0.3; 0.3; -1e-4; 1e-4 ]
                let losses, mass = crossEntropyByQuadrature mixture s t es
                Expect.floatClose Accuracy.medium mass 1.0 "the quadrature box holds the joint law"
                let curvature = (losses[1] + losses[2] - 2.0 * losses[0]) / 0.09
                Expect.isGreaterThan losses[1] losses[0] (sprintf "tilt -0.3 (%s)" s.Name)
                Expect.isGreaterThan losses[2] losses[0] (sprintf "tilt +0.3 (%s)" s.Name)
                // the minimiser of the quadratic through the central difference: e* = -L'(0)/L''(0)
                let slope = (losses[4] - losses[3]) / 2e-4
                // a central difference (step 1e-4) of a smooth quadrature loss: truncation ~1e-8 against the curvature
                Expect.isLessThan (abs (slope / curvature)) 1e-6 (sprintf "the tilt that minimises L is 0 (%s, slope %g)" s.Name slope)

        testProp "[C6.2] classifier guidance in noise form: eps - w sigma grad log p(c|x) with eps from the dense posterior mean and the gradient by finite differences" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) (GuidanceScale w) ->
            // Not the guided score times -sigma (the implementation's own rearrangement): eps = (x - alpha E[x0|x])/sigma
            // from Exact.Posterior, the classifier gradient by differences of log p_t(c | x).
            let cc, t, x, c = setup spec s f p
            let mean = (Exact.Posterior(cc.Oracle.Mixture, s, x, t)).Mean
            let classifier = Differences.gradient (fun y -> cc.LogClassPosterior(y, t, c)) x (Residuals.spaceStep s t)
            let expected = Array.init x.Length (fun i -> (x[i] - s.Alpha t * mean[i]) / s.Sigma t - w * s.Sigma t * classifier[i])
            Expect.isLessThan (Tolerances.relativeError 1.0 (cc.ClassifierGuidedNoise(x, t, c, w)) expected) Tolerances.finiteDifference "eps_w"

        testProp "[C6.3] classifier-free guidance: eps(x,c) = E[eps|x,c] (dense posterior of class c); w = 1 conditional, w = 0 unconditional, w > 1 the noise form of the tilted density" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) (StrongGuidance w) ->
            let cc, t, x, c = setup spec s f p
            let close a b what = Expect.isLessThan (Tolerances.relativeError 1.0 a b) Tolerances.densePosterior what
            let mean = (Exact.Posterior(cc.ClassMixture c, s, x, t)).Mean
            let epsC = Array.init x.Length (fun i -> (x[i] - s.Alpha t * mean[i]) / s.Sigma t)
            close (cc.ConditionalNoise(x, t, c)) epsC "E[eps | x, c]"
            close (cc.ClassifierFreeGuidedNoise(x, t, c, 1.0)) epsC "w = 1"
            close (cc.ClassifierFreeGuidedNoise(x, t, c, 0.0)) (cc.Oracle.ExpectedNoise(x, t)) "w = 0"
            // Beyond w = 1 (the (1 + w') form's range) the exact CFG predictor is -sigma times the score of the tilted
            // density p_t(x) p_t(c | x)^w, here by finite differences of the log densities (not the convention rearranged).
            let tiltedScore = Differences.gradient (fun y -> cc.Oracle.LogDensity(y, t) + w * cc.LogClassPosterior(y, t, c)) x (Residuals.spaceStep s t)
            Expect.isLessThan (Tolerances.relativeError 1.0 (cc.ClassifierFreeGuidedNoise(x, t, c, w)) (tiltedScore |> Array.map (fun v -> -s.Sigma t * v)))
                Tolerances.finiteDifference (sprintf "w = %g: -sigma grad log p p(c|x)^w" w)

        testProp "[C6.4] the guided score at scale w is the score of the tilted density p_t(x) p_t(c|x)^w (finite differences)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) (GuidanceScale w) ->
            let cc, t, x, c = setup spec s f p
            let tilted (y: float[]) = cc.Oracle.LogDensity(y, t) + w * cc.LogClassPosterior(y, t, c)
            let fd = Differences.gradient tilted x (Residuals.spaceStep s t)
            Expect.isLessThan (Tolerances.relativeError 1.0 (cc.ClassifierGuidedScore(x, t, c, w)) fd) Tolerances.finiteDifference (sprintf "w = %g" w)
    ]

let statistical = statList "Claims.Guidance" [ crossEntropyCheck ]
