/// Shared pieces of the network checks (THEORY sections 4, 6, 8, 9): the trained networks (each trained once per
/// run, seeded), tensor <-> array conversions, and the opt-in switch for the slow checks.
module Verified.Verification.Networks.NetworkSupport

open System
open TorchSharp
open Expecto
open Verified.Theory
open Verified.Gpu

/// Slow checks (longer training, CFG, flow matching, the trained language model) run only when
/// VERIFIED_SLOW=1; otherwise they are listed as ignored, so a normal run says how many were skipped.
let slowEnabled = Environment.GetEnvironmentVariable "VERIFIED_SLOW" = "1"

/// A list of slow checks: named "...Slow" (so `--filter-test-list Slow` selects them) and pending unless enabled.
let slowList name tests =
    if slowEnabled then testList (name + ".Slow") tests else ptestList (name + ".Slow") tests

/// Rows of a [n, d] tensor as float64 arrays.
let rows (x: torch.Tensor) =
    use cpu = x.``to``(torch.ScalarType.Float64, torch.CPU)
    let flat = cpu.data<float>().ToArray()
    let d = int x.shape[1]
    Array.init (int x.shape[0]) (fun i -> flat[i * d .. i * d + d - 1])

/// The data law of the eps/x0/v/velocity checks: six modes on a circle of radius 2, std 0.3.
let ring () = GaussianMixture.Ring(6, 2.0, 0.3)

/// Two classes of two components each (the CFG checks).
let labelled () =
    GaussianMixture.Isotropic([| 0.2; 0.3; 0.25; 0.25 |], [| [| 2.0; 0.0 |]; [| 0.0; 2.0 |]; [| -2.0; 0.0 |]; [| 0.0; -2.0 |] |],
                              [| 0.09; 0.09; 0.09; 0.09 |], [| 0; 0; 1; 1 |])

let vpLinear () = Schedules.VpLinear()

/// Trains once and keeps the network for every check of the run; reports the wall time.
type Trained(config: NetworkConfig, data: GaussianMixture, options: TrainingOptions) =
    let network = lazy (
        let net = new DenoiserNetwork(config, options.Seed)
        let report = Trainer.Train(net, data, options)
        printfn "trained %A/%s (%d steps, batch %d, hidden %d x %d): %.1f s, final loss %.4f"
            config.Target config.ScheduleName options.Steps options.BatchSize config.Hidden config.Layers
            report.Elapsed.TotalSeconds report.FinalLoss
        net)
    member _.Network = network.Force()
    member _.Config = config
    member _.Data = data

/// The default-run eps network: small enough to train in seconds on 2 cores.
let fastNoise =
    Trained(NetworkConfig(2, NetworkTarget.Noise, (vpLinear ()).Name, Hidden = 48, Layers = 3),
            ring (), TrainingOptions(Steps = 700, BatchSize = 256, LearningRate = 3e-3, Seed = 1UL))

/// Longer training for the opt-in checks (the "under 2 minutes on CPU" network: 4000 steps of batch 512, width 128).
let slowNoise =
    Trained(NetworkConfig(2, NetworkTarget.Noise, (vpLinear ()).Name, Hidden = 128, Layers = 3),
            ring (), TrainingOptions(Steps = 4000, BatchSize = 512, LearningRate = 2e-3, Seed = 2UL))

/// Times where the networks are compared with the oracle: uniform on [0.05, 1].
let errorTimes = Array.init 20 (fun i -> 0.05 + 0.95 * float i / 19.0)

/// Time-averaged E|f_theta - f*|^2 / d over errorTimes (a Riemann sum of the per-t curve).
let averageError (curve: NetworkErrorPoint[]) = curve |> Array.averageBy (fun p -> p.MeanSquaredError)

/// Pearson chi-square p-value of observed counts against cell probabilities; cells expecting fewer than 5
/// counts are merged into one so the chi-square approximation holds.
let chiSquareP (observed: float[]) (probabilities: float[]) =
    let n = Array.sum observed
    let small = probabilities |> Array.map (fun p -> n * p < 5.0)
    let pick keep (values: float[]) = [| for i in 0 .. values.Length - 1 do if small[i] <> keep then yield values[i] |]
    let merged = Array.sum (pick false observed), Array.sum (pick false probabilities)
    let cells = Array.zip (pick true observed) (pick true probabilities)
    let cells = if snd merged > 0.0 then Array.append cells [| merged |] else cells
    let stat = cells |> Array.sumBy (fun (o, p) -> (o - n * p) ** 2.0 / (n * p))
    1.0 - MathNet.Numerics.Distributions.ChiSquared.CDF(float (cells.Length - 1), stat)
