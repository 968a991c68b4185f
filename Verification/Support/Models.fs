/// Model wrappers for the claims: the oracle in other parameterisations (C4.3, C4.5, C9.1) and
/// deliberately wrong models and samplers for the negative controls.
module Verified.Verification.Models

open System
open Verified.Theory
open Verified.Numerics

/// The oracle read through a function of (x, t) in a declared parameterisation, applied to each point of a batch
/// (x holds n points of dimension d, row-major).
type FunctionModel(oracle: MixtureOracle, kind: PredictionKind, predict: float[] -> float -> float[]) =
    interface IDiffusionModel with
        member _.Dimension = oracle.Dimension
        member _.Kind = kind
        member _.Schedule = oracle.Schedule
        member _.Predict(x: ReadOnlySpan<float>, t: float, output: Span<float>) =
            let d = oracle.Dimension
            if x.Length % d <> 0 || x.Length = 0 then
                invalidArg "x" (sprintf "x must be a batch of points of dimension %d, got length %d" d x.Length)
            for p in 0 .. x.Length / d - 1 do
                (predict (x.Slice(p * d, d).ToArray()) t).AsSpan().CopyTo(output.Slice(p * d, d))

/// The exact noise predictor eps*(x, t) = E[eps | x_t = x] (C4.3).
let noiseModel (oracle: MixtureOracle) = FunctionModel(oracle, PredictionKind.Noise, fun x t -> oracle.ExpectedNoise(x, t))
/// The exact data predictor E[x0 | x_t = x], from the posterior mixture (not via Tweedie).
let dataModel (oracle: MixtureOracle) = FunctionModel(oracle, PredictionKind.Data, fun x t -> oracle.PosteriorMean(x, t))
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
