/// Deliberately wrong models and samplers, used only by the negative controls (NegativeControlTests.fs): each must be
/// rejected by the check it controls.
module Verified.Verification.DeliberatelyWrong

open System
open Verified.Theory
open Verified.Numerics
open Verified.Verification.OracleModels

/// Negative control: the score scaled by a wrong factor (e.g. a missing 1/sigma).
let scaledScoreModel (oracle: MixtureOracle) (factor: float) =
    FunctionModel(oracle, PredictionKind.Score, fun x t -> oracle.Score(x, t) |> Array.map (fun v -> factor * v))
/// Negative control: the score evaluated at a shifted time (an off-by-one time index).
let shiftedTimeModel (oracle: MixtureOracle) (shift: float -> float) =
    FunctionModel(oracle, PredictionKind.Score, fun x t -> oracle.Score(x, shift t))

/// The named work buffers of WrongVarianceSde, one pair per run (SamplingRun.State).
type SdeWork = { Drift: float[]; Z: float[] }

/// Negative control sampler: reverse-SDE Euler–Maruyama with the noise variance scaled by a wrong factor.
type WrongVarianceSde(factor: float) =
    inherit Sampler()
    override _.Info = SamplerInfo(sprintf "wrong-variance-sde(%g)" factor, "control", true, Nullable(), Nullable 1.0, Nullable 1.0)
    override _.Step(run: SamplingRun, i: int, x: float[]) =
        let t, s = run.Grid[i], run.Grid[i + 1]
        let h = t - s
        let work = run.State(fun n -> { Drift = Array.zeroCreate n; Z = Array.zeroCreate n })
        let drift, z = work.Drift, work.Z
        StepMath.ReverseDrift(run, ReadOnlySpan x, t, 1.0, Span drift)
        run.Noise.Fill(t, s, Span z)
        let g = sqrt (factor * run.Schedule.G2 t)
        for j in 0 .. x.Length - 1 do x[j] <- x[j] - h * drift[j] + g * sqrt h * z[j]

/// Negative control sampler: the PF-ODE Euler step with the drift's sign flipped on the score term
/// (f x + (1/2) g2 s instead of f x - (1/2) g2 s).
type WrongSignOde() =
    inherit Sampler()
    override _.Info = SamplerInfo("wrong-sign-ode", "control", false, Nullable 1.0, Nullable 1.0, Nullable 1.0)
    override _.Step(run: SamplingRun, i: int, x: float[]) =
        let t, s = run.Grid[i], run.Grid[i + 1]
        let score = run.State(fun n -> Array.zeroCreate<float> n)
        run.View.Score(ReadOnlySpan x, t, Span score)
        let f, g2 = run.Schedule.Drift t, run.Schedule.G2 t
        for j in 0 .. x.Length - 1 do x[j] <- x[j] - (t - s) * (f * x[j] + 0.5 * g2 * score[j])
