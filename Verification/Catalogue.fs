/// The claims catalogue: every claim the suite verifies, by the IDs of THEORY.md, each stated in one
/// line. A test names the claims it checks in brackets ("[C2.2] ..."); Catalogue.tests fails when a
/// catalogued claim has no test or a test names an unknown ID. `--list-claims` prints docs/CLAIMS.md.
module Verified.Verification.Catalogue

open System.Text.RegularExpressions
open Expecto

/// (ID, the claim in one line).
let claims : (string * string) list =
    [ "C0.1", "g2 >= 0 on every schedule's domain; f and g2 agree with differences of alpha and sigma"
      "C0.2", "VP schedules: alpha^2 + sigma^2 = 1 and g2 = beta(t) = -2 alpha'/alpha"
      "C0.3", "the Föllmer schedule has unit diffusion g2 = 1"
      "C0.4", "lambda = log(alpha/sigma) is strictly monotone and lambda^-1 inverts it"
      "C1.1", "conditional score -(x - alpha x0)/sigma^2"
      "C1.2", "the conditional velocity solves the continuity equation of p_t(x|x0)"
      "C1.3", "conditional velocity = f x - g2/2 times the conditional score"
      "C1.4", "the conditional forward SDE has law N(alpha x0, sigma^2 I) and its density solves Fokker–Planck"
      "C2.1", "the marginal velocity (posterior average of the conditional one) solves the continuity equation of p_t"
      "C2.2", "p_t solves the Fokker–Planck equation of the forward SDE"
      "C2.3", "p_t of mixture data is the noised mixture, and non-Gaussian unless p_0 is Gaussian"
      "C3.1", "q_tau = p_{T-tau} solves the reverse-time density PDE"
      "C3.2", "the reverse SDE has density path q_tau; its Euler–Maruyama sampler reaches p_tmin"
      "C3.3", "the reverse PF-ODE has the same one-time marginals; Euler and Heun reach p_tmin"
      "C3.4", "ODE and SDE share marginals but not path laws (Var[x_0 | x_T] = 0 vs > 0)"
      "C3.5", "every member of the generalised gamma family has marginals p_t"
      "C4.1", "the score-matching objective vanishes exactly at the true score"
      "C4.2", "Tweedie: E[x0|x] = (x + sigma^2 score)/alpha, score = -E[eps|x]/sigma"
      "C4.3", "the noise predictor is E[eps|x]; parameterisations convert exactly"
      "C4.4", "denoising score matching = noise matching + a predictor-independent constant"
      "C4.5", "learned reverse SDE/ODE in noise form equal the score forms"
      "C5.5", "variation of constants: the exact ODE solution in lambda with e^{-lambda} eps*"
      "C6.1", "Bayes: conditional score = score + classifier gradient"
      "C6.2", "the noisy classifier's optimum is p_t(c|x); classifier guidance in score and noise form"
      "C6.3", "classifier-free guidance: E[eps|x,c], w = 1 conditional, w = 0 unconditional"
      "C6.4", "guided score = score of the tilted density; w = 1 sampling gives p(x|c)"
      "C7.1", "closed-form marginal of the discrete chain"
      "C7.2", "alpha(t_i) = sqrt(abar_i), sigma(t_i) = sqrt(1 - abar_i)"
      "C7.3", "the continuised chain is the VP-SDE with beta(t) = -2 d log alpha/dt"
      "C7.4", "beta_i = 1 - exp(-int over step i of beta)"
      "C7.5", "DDPM's discrete optimum is the continuous eps* at t_i"
      "C7.6", "exact step posterior N(mu~_i, beta~_i I), also in noise form"
      "C7.7", "DDPM ancestral sampling (beta or beta~) reaches the data law"
      "C7.8", "first-order matching: DDPM vs EM mean gap O(h^2); beta~ = beta h + O(h^2) inside; fails at the final step"
      "C7.9", "DDIM(eta) reaches the data law"
      "C7.10", "DDIM(eta = 0) is exactly DPM-Solver-1"
      "C7.11", "DDIM(eta = 1) is exactly DDPM ancestral with beta~"
      "C8.1", "the conditional FM velocity generates N(a x1, b^2 I)"
      "C8.2", "the marginal FM velocity generates the marginal path"
      "C8.3", "CFM loss = FM loss + a constant"
      "C8.4", "generative-time SDE coefficients and its Fokker–Planck equation (marginal and conditional)"
      "C8.5", "conditional score matching = marginal score matching + a constant"
      "C8.6", "FM ODE = reverse PF-ODE (u = -v), same trajectories"
      "C9.1", "x0- and eps-prediction are equivalent; induced score -eps/sigma"
      "C9.2", "the embedding rollout with the exact denoiser reproduces the token distribution"
      "CF.1", "Föllmer drift = x/s + score = reverse-SDE drift of the Föllmer schedule"
      "CF.2", "scaling map: alpha x^VP is the Föllmer marginal at s = alpha^2"
      "CF.3", "Föllmer bridge step law; frozen-denoiser step = DDPM(beta~) under the scaling map"
      "CF.4", "Föllmer sampling reaches p_0 with weak order 1"
      "CF.5", "marginal velocity and drift are posterior averages of the conditional ones"
      "CA.1", "divergence = trace of the Jacobian; Laplacian = div grad"
      "CB.1", "reverse-time Brownian increments are N(0, h I) and independent"
      "CC.1", "Itô isometry for step-function and smooth integrands"
      "CD.1", "continuity equation for ODEs"
      "CE.1", "Fokker–Planck equation for SDEs"
      "CG.1", "Fisher's identity: score = posterior average of the conditional score"
      "CH.1", "orthogonality of the conditional expectation"
      "CM.1", "flow-map semigroup (closed form vs integration)"
      "CM.2", "the flow map pushes p_T forward to p_t"
      "CL.1", "PF-ODE log-likelihood matches the exact log density; Hutchinson's estimator is unbiased"
      // The samplers' specifications (THEORY's S-IDs): what each registered sampler computes.
      "S5.1", "reverse-SDE Euler–Maruyama step"
      "S5.2", "reverse PF-ODE Euler step"
      "S5.3", "Heun step (trapezoidal corrector; Euler where sigma_s = 0)"
      "S5.4", "adaptive RK45 (Dormand–Prince) on the PF-ODE with rtol/atol"
      "S5.6", "DPM-Solver-1: x_s = (alpha_s/alpha_t) x_t - sigma_s (e^h - 1) eps"
      "S5.7", "DPM-Solver-2 and -3 (intermediate points in lambda), DPM-Solver++(2S) and (2M)"
      "S7.7", "DDPM ancestral step (sigma^2 = beta or beta~, no noise at the last step)"
      "S7.9", "DDIM(eta) step with Song et al.'s sigma_eta"
      "S8.7", "FM Euler and FM Heun in generative time" ]

/// The xunit tests (C# projects, which this suite cannot run or list) and the IDs they check: (file, method, IDs).
/// The catalogue test below checks that every method is still in its file.
let xunitTests : (string * string * string list) list =
    let samplers = "Numerics.Tests/Samplers/"
    [ samplers + "PublishedStepTests.cs", "Every_step_is_the_published_update_on_a_grid_with_irregular_step_ratios",
        [ "S5.1"; "S5.2"; "S5.3"; "S5.6"; "S5.7"; "S7.7"; "S7.9"; "C3.5" ]
      samplers + "StepCoefficientTests.cs", "Ddim_sigma_eta_is_eta_times_the_posterior_std_of_x_s_given_x_t_and_x0", [ "S7.9" ]
      samplers + "StepCoefficientTests.cs", "Ddim_sigma_eta_on_VP_is_Song_et_al_eq_16_in_abar", [ "S7.9" ]
      samplers + "StepCoefficientTests.cs", "Ddpm_coefficients_are_Ho_et_al_from_the_discrete_chain", [ "S7.7" ]
      samplers + "StepCoefficientTests.cs", "Exponential_integrator_coefficients_are_their_ratio_forms", [ "S5.6"; "S5.7" ]
      samplers + "StepCoefficientTests.cs", "Intermediate_time_splits_the_step_in_log_snr_and_the_multistep_ratio_is_its_quotient", [ "S5.7" ]
      samplers + "IrregularGridOrderTests.cs", "Declared_orders_hold_on_a_grid_with_irregular_step_ratios", [ "S5.1"; "S5.2"; "S5.3"; "S5.6"; "S5.7"; "S7.9" ]
      samplers + "DeterministicOrderTests.cs", "Observed_strong_order_matches_the_declared_order", [ "S5.2"; "S5.3"; "S5.6"; "S5.7" ]
      samplers + "ExactIdentityTests.cs", "C7_10_ddim_eta0_equals_dpm_solver_1_to_round_off", [ "C7.10" ]
      samplers + "ExactIdentityTests.cs", "C7_11_ddim_eta1_equals_ddpm_beta_tilde_on_the_same_noise", [ "C7.11" ]
      samplers + "SamplerIdentityTests.cs", "CF3_follmer_bridge_under_the_scaling_map_is_ddpm_beta_tilde_on_the_grid_s_equal_abar", [ "CF.3" ]
      samplers + "SamplerIdentityTests.cs", "CF1_follmer_em_through_the_denoiser_equals_reverse_sde_em_through_the_score_on_the_follmer_schedule", [ "CF.1" ]
      samplers + "SamplerIdentityTests.cs", "C3_5_generalised_family_ends_are_the_pf_ode_and_the_reverse_sde", [ "C3.5" ]
      samplers + "SamplerIdentityTests.cs", "Predictor_corrector_steps_are_Song_et_al_algorithm_2_written_out_from_the_vp_linear_beta", [ "S5.1" ]
      "Numerics.Tests/Integration/RungeKuttaTests.cs", "Rk45_error_tracks_its_tolerance_and_costs_more_evaluations_as_it_tightens", [ "S5.4" ]
      "Numerics.Tests/Integration/RungeKuttaTests.cs", "Pf_ode_reference_matches_the_closed_form_flow_map", [ "CM.1" ]
      "Numerics.Tests/Laws/OutputLawTests.cs", "Exact_law_agrees_with_a_Monte_Carlo_run_of_the_same_sampler", [ "S5.1"; "S7.7"; "S7.9"; "S5.7" ]
      "Numerics.Tests/Laws/OutputLawTests.cs", "Output_law_converges_to_the_exact_law_as_steps_grow", [ "C3.2"; "C3.3" ]
      "Numerics.Tests/Guidance/GuidanceTests.cs", "Classifier_and_classifier_free_guidance_are_their_published_forms_built_from_independent_parts", [ "C6.2"; "C6.3" ]
      "Numerics.Tests/Guidance/GuidanceTests.cs", "Unit_scale_guidance_samples_the_class_law_exactly_on_gaussian_class_data", [ "C6.4" ]
      "Numerics.Tests/Language/EmbeddingRolloutTests.cs", "C9_2_rollout_with_the_exact_denoiser_reproduces_the_token_distribution", [ "C9.2" ]
      "Numerics.Tests/Likelihood/PfOdeLikelihoodTests.cs", "Exact_divergence_recovers_the_oracle_log_density", [ "CL.1" ]
      "Numerics.Tests/Likelihood/PfOdeLikelihoodTests.cs", "Finite_difference_trace_of_a_generic_model_recovers_the_oracle_log_density", [ "CL.1" ]
      "Numerics.Tests/Likelihood/PfOdeLikelihoodTests.cs", "Hutchinson_estimate_is_unbiased", [ "CL.1" ]
      "Numerics.Tests/Samplers/BatchedOracleModelTests.cs", "Every_parameterisation_of_a_batch_matches_the_scalar_oracle_point_by_point", [ "C4.3"; "C9.1" ] ]

/// Exact identity tests (two routes to round-off) that no negative control runs against a wrong implementation: each
/// was broken by hand once when written (the commit says how), but the suite keeps no deliberately wrong twin for it.
let identitiesWithoutControl =
    [ "C7.10 DDIM(eta = 0) = DPM-Solver-1 (Verification and Numerics.Tests)"
      "C7.11 DDIM(eta = 1) = DDPM(beta~) (Verification and Numerics.Tests)"
      "CF.3 Föllmer bridge = DDPM(beta~) under the scaling map (Verification and Numerics.Tests)"
      "CF.1 Föllmer EM = reverse-SDE EM on the Föllmer schedule (Numerics.Tests)"
      "C3.5 generalised family at c = 0 and c = 1 = PF-ODE Euler and reverse-SDE EM (Numerics.Tests)"
      "C8.6 / S8.7 fm-euler and fm-heun step by step along the FM velocity"
      "C9.1 rollouts through the x0-predictor, the eps-predictor and the score oracle"
      "C4.3 / C9.1 ModelView agreement across parameterisations"
      "S5.x, S7.x PublishedStepTests (each sampler against its published update), StepCoefficientTests, the predictor-corrector against Song et al.'s Algorithm 2"
      "C6.2 / C6.3 guidance wrappers against their published forms (Numerics.Tests)" ]

let private idPattern = Regex(@"\[([CS][0-9A-Z]+\.[0-9]+)\]")

/// Claim IDs named in a test name.
let idsIn (name: string) = [ for m in idPattern.Matches name -> m.Groups[1].Value ]

/// Full names of every test in a tree, joined with "." as Expecto's --filter expects them, so a name copied
/// from docs/CLAIMS.md selects its test (joined with "/" it ran 0 tests and reported success).
let testNames (root: Test) = Test.toTestCodeList root |> Seq.map (fun t -> String.concat "." t.name) |> List.ofSeq

/// ID -> the names of the tests that cite it.
let coverage (root: Test) =
    let names = testNames root
    claims |> List.map (fun (id, _) -> id, names |> List.filter (fun n -> List.contains id (idsIn n)))

/// The markdown of docs/CLAIMS.md.
let markdown (root: Test) =
    let cov = coverage root |> dict
    let lines =
        [ yield "# Claims catalogue"
          yield ""
          yield "Generated by `dotnet run --project Verification -c Release -- --list-claims`; do not edit by hand."
          yield "Each claim, by its ID in the numbering of the theory notes the suite was written from (THEORY), in one line, and the"
          yield "tests that check it (full Expecto names, which paste into"
          yield "`--filter`; `Statistical` lists are Monte Carlo checks with a declared false-alarm probability, see STATISTICS.md)."
          yield "Lines marked xunit are C# tests (Numerics.Tests), listed in `Catalogue.xunitTests`; a catalogue test checks that each"
          yield "still exists. The S-IDs are the samplers' specifications; the last section names the identity tests that no"
          yield "negative control runs against a deliberately wrong implementation. The notes are not shipped: where a code comment"
          yield "cites THEORY by section or equation number ([133]), the formula it means is written out beside the citation."
          yield ""
          for id, text in claims do
              yield sprintf "## %s — %s" id text
              yield ""
              for n in cov[id] do yield sprintf "- `%s`" n
              for file, meth, ids in xunitTests do
                  if List.contains id ids then yield sprintf "- xunit `%s`: `%s`" file meth
              yield ""
          yield "## Identity tests without a negative control"
          yield ""
          for line in identitiesWithoutControl do yield sprintf "- %s" line
          yield "" ]
    String.concat "\n" lines

/// Catalogued claims that no test cites (an xunit test listed in xunitTests counts).
let missingClaims (root: Test) =
    let byXunit = xunitTests |> List.collect (fun (_, _, ids) -> ids) |> Set.ofList
    coverage root |> List.filter (fun (id, ns) -> List.isEmpty ns && not (byXunit.Contains id)) |> List.map fst

/// (ID, test name) for every ID cited in a test name that the catalogue does not know.
let unknownIds (root: Test) =
    let known = claims |> List.map fst |> Set.ofList
    [ for n in testNames root do for id in idsIn n do if not (known.Contains id) then yield id, n ]

/// The repository root: the nearest ancestor of the test binary holding Verified.sln.
let private repositoryRoot () =
    let rec up (dir: System.IO.DirectoryInfo) =
        if isNull dir then None
        elif System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Verified.sln")) then Some dir.FullName
        else up dir.Parent
    up (System.IO.DirectoryInfo System.AppContext.BaseDirectory)

let private alphaPattern = Regex(@"\(alpha ([0-9.eE+-]+)\)$")

/// The catalogue's own tests, run against the whole tree.
let tests (root: Test) =
    testList "Catalogue" [
        testCase "every catalogued claim has at least one test" <| fun () ->
            let missing = missingClaims root
            Expect.isEmpty missing (sprintf "claims without a test: %A" missing)

        testCase "every claim ID in a test name is catalogued (typo guard)" <| fun () ->
            let unknown = unknownIds root
            Expect.isEmpty unknown (sprintf "unknown claim IDs: %A" unknown)

        testCase "every xunit test the catalogue lists is still in its file, with known claim IDs" <| fun () ->
            match repositoryRoot () with
            | None -> skiptest "the repository root (Verified.sln) is not above the test binary"
            | Some dir ->
                let known = claims |> List.map fst |> Set.ofList
                for file, meth, ids in xunitTests do
                    let text = System.IO.File.ReadAllText(System.IO.Path.Combine(dir, file))
                    Expect.isTrue (text.Contains(sprintf "void %s(" meth)) (sprintf "%s no longer has a test %s" file meth)
                    for id in ids do Expect.isTrue (known.Contains id) (sprintf "%s in %s is not catalogued" id meth)

        testCase "docs/CLAIMS.md is the current output of --list-claims" <| fun () ->
            match repositoryRoot () with
            | None -> skiptest "the repository root (Verified.sln) is not above the test binary"
            | Some dir ->
                let committed = System.IO.File.ReadAllText(System.IO.Path.Combine(dir, "docs", "CLAIMS.md")).Replace("\r\n", "\n").TrimEnd()
                Expect.equal committed ((markdown root).TrimEnd()) "regenerate: dotnet run --project Verification -c Release -- --list-claims > docs/CLAIMS.md"

        testCase "every test name docs/CLAIMS.md lists selects that test with --filter (Expecto's own filter)" <| fun () ->
            let join = defaultConfig.joinWith
            for n in testNames root do
                let selected =
                    root |> Test.filter join.asString (fun z -> (join.format z).StartsWith n)
                    |> Test.toTestCodeList |> Seq.map (fun t -> join.format t.name) |> List.ofSeq
                Expect.contains selected n (sprintf "--filter \"%s\" does not select the test" n)

        testCase "every Statistical test declares its alpha and the alphas sum to at most the false-alarm budget" <| fun () ->
            let statistical = testNames root |> List.filter (fun n -> n.Contains ".Statistical.")
            Expect.isNonEmpty statistical "statistical tests exist"
            let alphas =
                statistical |> List.map (fun n ->
                    let m = alphaPattern.Match n
                    Expect.isTrue m.Success (sprintf "%s declares no alpha" n)
                    float m.Groups[1].Value)
            Expect.isLessThanOrEqual (List.sum alphas) Statistics.totalBudget
                (sprintf "%d checks with total alpha %g exceed the budget %g" alphas.Length (List.sum alphas) Statistics.totalBudget)
    ]
