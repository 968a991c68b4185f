/// The exact oracle read in other parameterisations (C4.3, C4.5, C9.1), as models the samplers accept.
module Verified.Verification.OracleModels

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
