/// Opt-in long studies (VERIFIED_LONG=1; not part of ./test.sh's default run, see docs/STATISTICS.md):
/// deeper exact-law ladders for every registered sampler that declares a weak order, and the mixture-law
/// checks with ten times the samples (a tighter bound on the samplers' discretisation bias).
module Verified.Verification.Studies

open Expecto
open Verified.Theory
open Verified.Numerics
open Verified.Verification
open Verified.Verification.Statistics
open Verified.Verification.Claims

/// Whether the long studies are part of this run.
let enabled = System.Environment.GetEnvironmentVariable "VERIFIED_LONG" = "1"

let private gridFor (sampler: Sampler) =
    match sampler.Info.Requires with
    | ScheduleRequirement.Follmer -> Schedules.Follmer(), SamplerTests.follmerGrid
    | _ -> SamplerTests.vp, SamplerTests.vpGrid

let tests =
    testList "Studies.Long" [
        testCase "every registered affine sampler with a declared weak order: exact W2 ladder 16..2048 steps, observed order >= declared - 0.3" <| fun () ->
            for sampler in SamplerRegistry.All() do
                if sampler.Info.IsAffine && sampler.Info.WeakOrder.HasValue && sampler.Info.EvaluationsPerStep.HasValue then
                    let schedule, grid = gridFor sampler
                    let ok, why = SamplerTests.reachesLaw sampler (OracleModel(Fixtures.gaussianData, schedule)) grid [ 16; 32; 64; 128; 256; 512; 1024; 2048 ]
                    printfn "STUDY | %s" why
                    Expect.isTrue ok why

        statList "Studies.Long" [
            SamplerLaw.mixtureLawCheck "[C3.2] long: reverse-SDE EM (1000 steps), 80000 samples"
                (ReverseSdeEulerMaruyama()) (OracleModel(Fixtures.samplerMixture, SamplerTests.vp)) Fixtures.samplerMixture (SamplerTests.vpGrid 1000) 80_000
            SamplerLaw.mixtureLawCheck "[C7.7] long: DDPM beta~ (1000 steps), 80000 samples"
                (Ddpm DdpmVariance.BetaTilde) (OracleModel(Fixtures.samplerMixture, SamplerTests.vp)) Fixtures.samplerMixture (SamplerTests.vpGrid 1000) 80_000
        ]
    ]
