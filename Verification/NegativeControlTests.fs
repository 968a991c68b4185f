/// Negative controls: checks of each family (PDE residuals, identities, orders, distribution tests, the
/// catalogue) are run, unchanged, against a deliberately wrong implementation — wrong sign, wrong variance,
/// off-by-one time, wrong schedule derivative — and must report failure; the identity tests that have no control
/// here are listed at the end of docs/CLAIMS.md. A check that cannot fail here
/// would pass anything. Names carry no claim ID: a control is not evidence for a claim.
module Verified.Verification.NegativeControlTests

open System
open Expecto
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Statistics
open Verified.Verification.Claims

/// VP-linear with alpha' and sigma' scaled by wrong factors: alpha and sigma (hence the density) stay right,
/// f and g2 (through the generic formula) come out wrong.
let wrongDerivatives (alphaFactor: float) (sigmaFactor: float) =
    let vp = Schedules.VpLinear()
    Schedules.Custom(sprintf "vp-linear, alpha' x %g, sigma' x %g" alphaFactor sigmaFactor, 0.0, 1.0, true,
                     Func<float, float>(vp.Alpha), Func<float, float>(vp.Sigma),
                     Func<float, float>(fun u -> alphaFactor * vp.AlphaDot u), Func<float, float>(fun u -> sigmaFactor * vp.SigmaDot u))

let wrongDerivativeVp (sigmaFactor: float) = wrongDerivatives 1.0 sigmaFactor

let private mixture = Fixtures.labelledMixture
let private point = [| 0.4; -0.2 |]
let private t = 0.35

/// A statistical check must reject (p < alpha) with its fixed seed.
let private expectRejects (check: StatCheck) =
    let o = check.Run(seedOf check.Name)
    Expect.isLessThan o.PValue check.Alpha (sprintf "the check should reject the wrong implementation: %s" o.Detail)

let private pdeControls =
    testList "PdeResiduals" [
        testCase "continuity (C2.1 check) with a wrong schedule derivative: the finite-difference d/dt route flags it, the analytic route cannot" <| fun () ->
            let oracle = MixtureOracle(mixture, wrongDerivativeVp 1.1)
            let analytic, byDifferences = ForwardProcessTests.continuityResiduals oracle (fun y u -> oracle.Velocity(y, u)) point t
            Expect.isGreaterThan byDifferences (100.0 * Residuals.tolerance) "finite-difference route"
            // the analytic d/dt uses the same wrong sigma', so the PDE holds algebraically: why the FD route exists
            Expect.isLessThan analytic Residuals.tolerance "analytic route is blind to a consistent wrong derivative"

        testCase "continuity (C2.1 check) with the score term's sign flipped" <| fun () ->
            let s = Schedules.VpLinear()
            let oracle = MixtureOracle(mixture, s)
            let wrong (y: float[]) (u: float) = let sc = oracle.Score(y, u) in Array.init 2 (fun i -> s.Drift u * y[i] + 0.5 * s.G2 u * sc[i])
            let analytic, byDifferences = ForwardProcessTests.continuityResiduals oracle wrong point t
            Expect.isGreaterThan (min analytic byDifferences) (100.0 * Residuals.tolerance) "both routes"

        testCase "Fokker–Planck (C2.2 check) with half the diffusion" <| fun () ->
            let s = Schedules.Ve(0.01, 20.0)
            let oracle = MixtureOracle(mixture, s)
            let analytic, byDifferences = ForwardProcessTests.fokkerPlanckResiduals oracle (ForwardProcessTests.forwardDrift s) (fun u -> 0.5 * s.G2 u) point t
            Expect.isGreaterThan (min analytic byDifferences) (100.0 * Residuals.tolerance) "both routes"

        testCase "reverse Fokker–Planck (C3.2 check) with the ODE drift in place of the SDE drift" <| fun () ->
            let s = Schedules.VpLinear()
            let oracle = MixtureOracle(mixture, s)
            let analytic, byDifferences =
                ReverseProcessTests.reverseResiduals oracle (ReverseProcessTests.generalisedDrift oracle (fun _ -> 0.0)) s.G2 point t
            Expect.isGreaterThan (min analytic byDifferences) (100.0 * Residuals.tolerance) "both routes"
    ]

let private identityControls =
    testList "Identities" [
        testCase "Fisher's identity check (CG.1) with posterior draws from the wrong (off-by-one) time" <| fun () ->
            let shifted : AnalyticToolsTests.PosteriorDraw = fun m s x u -> (Exact.Posterior(m, s, x, u + 0.03)).Draw
            expectRejects (AnalyticToolsTests.fisherCheck "control: Fisher with off-by-one posterior" shifted)

        testCase "averaging-lemma check (CF.5) with posterior draws of the wrong variance (a broader posterior)" <| fun () ->
            // x0 = m + 1.5 (x0 - m) keeps the mean: a pure variance error must not be flagged by a mean identity...
            let broader : AnalyticToolsTests.PosteriorDraw = fun m s x u ->
                let post = Exact.Posterior(m, s, x, u)
                let mean = post.Mean
                fun rng -> post.Draw rng |> Array.mapi (fun i v -> mean[i] + 1.5 * (v - mean[i]) + 0.1)
            // ...so the control shifts it as well (+0.1): the check must see the shift
            expectRejects (AnalyticToolsTests.averagingCheck "control: averaging with a wrong posterior" broader)

        testCase "DSM proxy-loss check (C4.4) with eps* of the wrong sign" <| fun () ->
            let draw = ScoreLearningTests.dsmDraw (Schedules.VpLinear()) 0.3 (fun o x u -> o.ExpectedNoise(x, u) |> Array.map (fun v -> -v))
            expectRejects (ScoreLearningTests.proxyLossCheck "control: DSM with -eps*" draw ScoreLearningTests.predictors)

        testCase "orthogonality check (CH.1) with a biased conditional mean" <| fun () ->
            expectRejects (AnalyticToolsTests.orthogonalityCheck "control: orthogonality, biased mean" (fun o x u -> o.PosteriorMean(x, u) |> Array.map (fun v -> v + 0.1)))

        testCase "Tweedie (C4.2 check) with sigma in place of sigma^2" <| fun () ->
            let s = Schedules.Ve(0.01, 20.0)
            let oracle = MixtureOracle(mixture, s)
            // Runs the claim's own check (ScoreLearningTests.tweedieGap) with the wrong factor; it must exceed the claim's 1e-7.
            Expect.isGreaterThan (ScoreLearningTests.tweedieGap (fun u -> s.Sigma u) oracle point t) 1e-3 "flagged"
    ]

let private orderControls =
    testList "Orders" [
        testCase "first-order matching check (C7.8a) against EM with a wrong schedule derivative: the gap is only O(h)" <| fun () ->
            let right = OracleModel(mixture, Schedules.VpLinear())
            let wrong = OracleModel(mixture, wrongDerivativeVp 1.1)
            let ratios = DdpmDdimTests.localGapRatios (DdpmDdimTests.ddpmEmGap right wrong point 0.5) DdpmDdimTests.halvings
            Expect.isFalse (DdpmDdimTests.isLocalOrderTwo ratios) (sprintf "ratios %A must not look like order 2" ratios)

        testCase "first-order matching check (C7.8a) against EM reading the score one step late (off-by-one time)" <| fun () ->
            let right = OracleModel(mixture, Schedules.VpLinear())
            let late = DeliberatelyWrong.shiftedTimeModel right.Oracle (fun u -> u - 0.01)
            let ratios = DdpmDdimTests.localGapRatios (DdpmDdimTests.ddpmEmGap right late point 0.5) DdpmDdimTests.halvings
            Expect.isFalse (DdpmDdimTests.isLocalOrderTwo ratios) (sprintf "ratios %A" ratios)

        testCase "exact-law convergence check (C3.2) on an EM sampler with 1.2 x the noise variance" <| fun () ->
            let ok, why = SamplerTests.reachesLaw (DeliberatelyWrong.WrongVarianceSde 1.2) (OracleModel(Fixtures.gaussianData, SamplerTests.vp)) SamplerTests.vpGrid SamplerTests.ladder
            Expect.isFalse ok why

        testCase "exact-law convergence check (C3.3) on a PF-ODE with the score term's sign flipped" <| fun () ->
            let ok, why = SamplerTests.reachesLaw (DeliberatelyWrong.WrongSignOde()) (OracleModel(Fixtures.gaussianData, SamplerTests.vp)) SamplerTests.vpGrid SamplerTests.ladder
            Expect.isFalse ok why
    ]

let private distributionControls =
    testList "DistributionTests" [
        testCase "mixture-law check (C3.2) on an EM sampler with 2 x the noise variance" <| fun () ->
            expectRejects (SamplerLaw.mixtureLawCheck "control: wrong variance" (DeliberatelyWrong.WrongVarianceSde 2.0)
                               (OracleModel(Fixtures.samplerMixture, SamplerTests.vp)) Fixtures.samplerMixture (SamplerTests.vpGrid 300) 8000)

        testCase "mixture-law check (C3.3) on a PF-ODE with the score scaled by 0.8 (a wrong model)" <| fun () ->
            let oracle = MixtureOracle(Fixtures.samplerMixture, SamplerTests.vp)
            expectRejects (SamplerLaw.mixtureLawCheck "control: scaled score" (Heun()) (DeliberatelyWrong.scaledScoreModel oracle 0.8)
                               Fixtures.samplerMixture (SamplerTests.vpGrid 100) 8000)

        testCase "conditional-SDE law check (C1.4) with a wrong schedule derivative" <| fun () ->
            expectRejects (ForwardProcessTests.conditionalSdeCheck (wrongDerivativeVp 1.5) 1000)

        testCase "token-law check (C9.2) at eta = 0 with the embedding table at RMS 0.5 (start law N(0, rho^2 I) off the prior)" <| fun () ->
            let half = EmbeddingTable(Array2D.init 4 2 (fun v j -> 0.5 * (EmbeddingTests.table.Embed [| v |]).[j]))
            let denoiser = EmbeddingTests.law.ExactDenoiser(half, Schedules.VpLinear())
            expectRejects (EmbeddingTests.tokenLawCheckWith half 0.0 denoiser "control: prior mismatch")

        testCase "normal-generator check (CB.1, CC.1) on draws with standard deviation 1.03" <| fun () ->
            expectRejects (AnalyticToolsTests.normalGeneratorCheckWith "control: sd 1.03" (fun rng -> 1.03 * rng.NextGaussian()))

        testCase "Riemann check of the Itô variance (CC.1) with a schedule whose g2 is wrong (alpha' x 1.2)" <| fun () ->
            Expect.isGreaterThan (AnalyticToolsTests.riemannError (wrongDerivatives 1.2 1.0) 4000) 1e-5 "relative error"
    ]

let private catalogueControls =
    testList "Catalogue" [
        testCase "the coverage check reports a catalogued claim without a test" <| fun () ->
            let tree = testList "fake" [ testCase "[C0.1] something" ignore ]
            Expect.contains (Catalogue.missingClaims tree) "C0.2" "C0.2 has no test in the fake tree"

        testCase "the typo guard reports an unknown claim ID" <| fun () ->
            let tree = testList "fake" [ testCase "[C0.9] a typo" ignore ]
            Expect.equal (Catalogue.unknownIds tree |> List.map fst) [ "C0.9" ] "C0.9 is not catalogued"
    ]

let tests =
    testList "NegativeControls" [ pdeControls; identityControls; orderControls; distributionControls; catalogueControls ]
