module Verified.Verification.Main

open Expecto

/// Every test list of the suite, by area (the catalogue's coverage tests run over exactly these).
let areas =
    [ Theory.ScheduleTests.tests
      Theory.DiscreteScheduleTests.tests
      Theory.OracleTests.tests
      Theory.BadInputTests.tests
      Claims.ForwardProcessTests.tests
      Claims.ForwardProcessTests.statistical
      Claims.ReverseProcessTests.tests
      Claims.AnalyticToolsTests.tests
      Claims.AnalyticToolsTests.statistical
      Claims.ScoreLearningTests.tests
      Claims.ScoreLearningTests.statistical
      Claims.GuidanceTests.tests
      Claims.GuidanceTests.statistical
      Claims.FlowMatchingTests.tests
      Claims.FollmerTests.tests
      Claims.FlowMapTests.tests
      Claims.DdpmDdimTests.tests
      Claims.DdpmDdimTests.statistical
      Claims.SamplerTests.tests
      Claims.SamplerTests.statistical
      Claims.EmbeddingTests.tests
      Claims.EmbeddingTests.statistical
      Claims.LikelihoodTests.tests
      Claims.LikelihoodTests.statistical
      NegativeControlTests.tests
      Networks.NetworkOracleTests.tests
      Networks.NetworkOracleTests.statistical
      Networks.NetworkOracleTests.slow
      Networks.NetworkOracleTests.slowStatistical
      Networks.EmbeddingLanguageTests.statistical
      Networks.EmbeddingLanguageTests.slow
    ]

/// The claims tree the catalogue inspects (and docs/CLAIMS.md lists).
let root = testList "Verified" areas

/// Everything that runs: the areas, the catalogue's checks, and the opt-in long studies (VERIFIED_LONG=1).
let allTests =
    testList "Verified" (areas @ [ Catalogue.tests root ] @ (if Studies.enabled then [ Studies.tests ] else []))

[<EntryPoint>]
let main argv =
    if PlainOutput.wanted argv then PlainOutput.install ()
    if Array.contains "--list-claims" argv then
        // docs/CLAIMS.md: dotnet run --project Verification -c Release -- --list-claims > docs/CLAIMS.md
        printfn "%s" (Catalogue.markdown root)
        0
    else
        if Array.contains "--help" argv || Array.contains "-h" argv then
            // Expecto prints its own options below; this program adds one.
            printfn "Verified claims suite (Expecto). Option of this program:"
            printfn "  --list-claims        print the claim catalogue (the text of docs/CLAIMS.md) and exit"
            printfn "Expecto's options:"
        // The runner's exit code is the program's exit code: a failing test fails CI.
        runTestsWithCLIArgs [] argv allTests
