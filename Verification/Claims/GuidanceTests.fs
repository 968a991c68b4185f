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

/// The class of the component that pointNear centred the point on (so p_t(c | x) does not underflow).
let private classNear (mixture: GaussianMixture) (seed: float[]) = mixture.Label(abs (int (seed[0] * 1000.0)) % mixture.Count)

let private setup (spec: MixtureSpec) (s: Schedule) (f: InteriorFraction) (p: PointSeed) =
    let oracle, t, x = oracleCase spec s f p
    ClassConditional oracle, t, x, classNear oracle.Mixture p.Value

/// C6.2 by Monte Carlo: the class frequency among exact posterior draws (x0, c) | x_t = x equals p_t(c | x),
/// the cross-entropy minimiser (binomial z-test per case).
let classPosteriorCheck =
    { Name = "[C6.2] class frequencies of exact posterior draws given x_t = x equal p_t(c | x) (the cross-entropy optimum)"
      Alpha = checkAlpha
      Run = fun seed ->
        let ps =
            identityCases |> List.mapi (fun i (s, t, x) ->
                let oracle = MixtureOracle(labelledMixture, s)
                let posterior = Exact.Posterior(labelledMixture, s, x, t)
                let weights = posterior.Weights
                // the class is the label of the drawn component: draw components by the posterior weights
                let hits = Exact.drawMany 20_000 (Xoshiro256.Derive(seed, uint64 i)) (fun rng ->
                    let u = rng.NextUniform()
                    let mutable acc, k = 0.0, 0
                    while k < weights.Length - 1 && u >= acc + weights[k] do
                        acc <- acc + weights[k]
                        k <- k + 1
                    if labelledMixture.Label k = 1 then 1.0 else 0.0)
                let p1 = (ClassConditional oracle).ClassPosterior(x, t)[1]
                meanTestKnownVariance p1 (p1 * (1.0 - p1)) hits)
        outcome (bonferroni ps) (sprintf "per-case p %A" ps) }

let tests =
    testList "Claims.Guidance" [
        testProp "[C6.1] grad log p_t(x|c) = grad log p_t(x) + grad log p_t(c|x) (classifier term by finite differences)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let cc, t, x, c = setup spec s f p
            let classifier = Differences.gradient (fun y -> cc.LogClassPosterior(y, t, c)) x (Residuals.spaceStep s t)
            let bayes = Array.map2 (+) (cc.Oracle.Score(x, t)) classifier
            Expect.isLessThan (Tolerances.relativeError 1.0 (cc.ConditionalScore(x, t, c)) bayes) Tolerances.finiteDifference "Bayes"

        testProp "[C6.2] classifier guidance: s_w = s + w grad log p(c|x) and its noise form eps - w sigma grad log p(c|x) agree" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let cc, t, x, c = setup spec s f p
            let w = 3.0 * p.Value[33]
            let score = cc.ClassifierGuidedScore(x, t, c, w)
            let noise = cc.ClassifierGuidedNoise(x, t, c, w)
            Expect.isLessThan (Tolerances.relativeError 1.0 noise (score |> Array.map (fun v -> -s.Sigma t * v))) 1e-9 "eps = -sigma s_w"

        testProp "[C6.3] classifier-free guidance: eps(x,c) = E[eps|x,c] (dense posterior of class c); w = 1 conditional, w = 0 unconditional, (1+w) form = w+1" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let cc, t, x, c = setup spec s f p
            let close a b what = Expect.isLessThan (Tolerances.relativeError 1.0 a b) 1e-7 what
            let mean = (Exact.Posterior(cc.ClassMixture c, s, x, t)).Mean
            let epsC = Array.init x.Length (fun i -> (x[i] - s.Alpha t * mean[i]) / s.Sigma t)
            close (cc.ConditionalNoise(x, t, c)) epsC "E[eps | x, c]"
            close (cc.ClassifierFreeGuidedNoise(x, t, c, 1.0)) epsC "w = 1"
            close (cc.ClassifierFreeGuidedNoise(x, t, c, 0.0)) (cc.Oracle.ExpectedNoise(x, t)) "w = 0"
            let w = 2.0 * abs p.Value[34]
            let epsNull = cc.Oracle.ExpectedNoise(x, t)
            close (cc.ClassifierFreeGuidedNoise(x, t, c, 1.0 + w)) (Array.init x.Length (fun i -> (1.0 + w) * epsC[i] - w * epsNull[i])) "(1+w) eps_c - w eps_null"

        testProp "[C6.4] the guided score at scale w is the score of the tilted density p_t(x) p_t(c|x)^w (finite differences)" <| fun (spec: MixtureSpec) (ValidSchedule s) (f: InteriorFraction) (p: PointSeed) ->
            let cc, t, x, c = setup spec s f p
            let w = 4.0 * p.Value[35]
            let tilted (y: float[]) = cc.Oracle.LogDensity(y, t) + w * cc.LogClassPosterior(y, t, c)
            let fd = Differences.gradient tilted x (Residuals.spaceStep s t)
            Expect.isLessThan (Tolerances.relativeError 1.0 (cc.ClassifierGuidedScore(x, t, c, w)) fd) Tolerances.finiteDifference (sprintf "w = %g" w)
    ]

let statistical = statList "Claims.Guidance" [ classPosteriorCheck ]
