/// Every bad input to the Theory surface raises an ArgumentException that names the parameter,
/// shows the value and says what is valid.
module Verified.Verification.Theory.BadInputTests

open System
open Expecto
open Verified.Theory

let private eye d = Array2D.init d d (fun i j -> if i = j then 1.0 else 0.0)

/// (case name, action, parameter name, fragment the message must contain)
let private cases : (string * (unit -> obj) * string * string) list =
    let vp = Schedules.VpLinear()
    let oracle = MixtureOracle(GaussianMixture.Gaussian([| 0.0; 0.0 |], eye 2), vp)
    [ "negative weight", (fun () -> box (GaussianMixture([| 1.5; -0.5 |], [| [| 0.0 |]; [| 1.0 |] |], [| eye 1; eye 1 |]))), "weights", "-0.5"
      "weights not summing to 1", (fun () -> box (GaussianMixture([| 0.5; 0.6 |], [| [| 0.0 |]; [| 1.0 |] |], [| eye 1; eye 1 |]))), "weights", "sum to 1"
      "empty mixture", (fun () -> box (GaussianMixture([||], [||], [||]))), "weights", "at least one"
      "NaN weight", (fun () -> box (GaussianMixture([| nan |], [| [| 0.0 |] |], [| eye 1 |]))), "weights", "NaN"
      "non-symmetric covariance", (fun () -> box (GaussianMixture.Gaussian([| 0.0; 0.0 |], array2D [ [ 1.0; 0.5 ]; [ 0.0; 1.0 ] ]))), "covariances", "symmetric"
      "non-PSD covariance", (fun () -> box (GaussianMixture.Gaussian([| 0.0; 0.0 |], array2D [ [ 1.0; 2.0 ]; [ 2.0; 1.0 ] ]))), "covariances", "positive semi-definite"
      "covariance of the wrong size", (fun () -> box (GaussianMixture.Gaussian([| 0.0; 0.0 |], eye 3))), "covariances", "2x2"
      "means of different dimensions", (fun () -> box (GaussianMixture([| 0.5; 0.5 |], [| [| 0.0 |]; [| 1.0; 2.0 |] |], [| eye 1; eye 1 |]))), "means", "length 1"
      "infinite mean", (fun () -> box (GaussianMixture.Gaussian([| infinity |], eye 1))), "means[0]", "finite"
      "infinite covariance entry", (fun () -> box (GaussianMixture.Gaussian([| 0.0 |], array2D [ [ infinity ] ]))), "covariances", "finite"
      "point of the wrong dimension", (fun () -> box (oracle.Score([| 0.0 |], 0.5))), "x", "length 2"
      "NaN in the point", (fun () -> box (oracle.Score([| 0.0; nan |], 0.5))), "x", "x[1]"
      "t above the domain", (fun () -> box (oracle.Score([| 0.0; 0.0 |], 1.5))), "t", "1.5"
      "t below the domain", (fun () -> box (vp.Alpha -0.1)), "t", "-0.1"
      "NaN time", (fun () -> box (vp.Sigma nan)), "t", "NaN"
      "t = 1 on an open domain", (fun () -> box (Schedules.VpCosine().Alpha 1.0)), "t", "[0, 1)"
      "negative beta_min", (fun () -> box (Schedules.VpLinear(-0.1, 20.0))), "betaMin", "-0.1"
      "beta_max below beta_min", (fun () -> box (Schedules.VpLinear(5.0, 1.0))), "betaMax", ">= betaMin"
      "VE sigma_max <= sigma_min", (fun () -> box (Schedules.Ve(1.0, 0.5))), "sigmaMax", "> sigmaMin"
      "beta outside (0, 1)", (fun () -> box (DiscreteSchedule.FromBetas([| 0.1; 1.2 |]))), "betas", "betas[1]"
      "step index out of range", (fun () -> box ((DiscreteSchedule.Linear 10).AlphaBar 11)), "i", "0..10"
      "more inference steps than training steps", (fun () -> box (DiscreteSchedule.Timesteps(TimestepSpacing.Leading, 10, 11))), "inferenceSteps", "1..trainSteps"
      "non-VP schedule discretised", (fun () -> box (DiscreteSchedule.FromContinuous(Schedules.Edm(), 10))), "schedule", "variance preserving"
      "NaN lambda", (fun () -> box (vp.LambdaInverse nan)), "lambda", "finite"
      "unknown class", (fun () -> box (ClassConditional(oracle).ConditionalScore([| 0.0; 0.0 |], 0.5, 3))), "c", "0..0"
      "NaN guidance scale", (fun () -> box (ClassConditional(oracle).ClassifierFreeGuidedNoise([| 0.0; 0.0 |], 0.5, 0, nan))), "w", "finite"
      "Föllmer drift on another schedule", (fun () -> box (GenerativeView(oracle).FollmerDrift([| 0.0; 0.0 |], 0.5))), "oracle", "Föllmer"
      "reverse transition forwards", (fun () -> box (GaussianFlow([| 0.0 |], eye 1, vp).ReverseTransition([| 0.0 |], 0.2, 0.5))), "s", "< t" ]

let tests =
    testList "Theory.BadInput" [
        for name, action, param, fragment in cases do
            testCase name <| fun () ->
                try
                    action () |> ignore
                    failtestf "expected an ArgumentException naming %s" param
                with :? ArgumentException as ex ->
                    Expect.equal ex.ParamName param "the exception names the parameter"
                    Expect.stringContains ex.Message fragment "the message shows the value or the valid range"
    ]
