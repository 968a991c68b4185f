module Verified.Verification.Main

open Expecto

/// Every test list of the suite, by area.
let allTests =
    testList "Verified" [
        Theory.ScheduleTests.tests
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
    ]

[<EntryPoint>]
let main argv =
    // The runner's exit code is the program's exit code: a failing test fails CI.
    runTestsWithCLIArgs [] argv allTests
