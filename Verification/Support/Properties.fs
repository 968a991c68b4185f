/// Project-local property helpers: every property runs with the suite's generators and a fixed
/// number of cases; Expecto prints the replay seed of a failing property.
module Verified.Verification.Properties

open Expecto

/// Normal runs replay one fixed FsCheck seed (deterministic, never flaky); VERIFIED_EXPLORE=1 draws fresh
/// cases, and a failure then prints FsCheck's replay seed and the shrunk counterexample (docs/STATISTICS.md).
let explore = System.Environment.GetEnvironmentVariable "VERIFIED_EXPLORE" = "1"

let config =
    { FsCheckConfig.defaultConfig with
        maxTest = 60
        replay = if explore then None else Some(20261123UL, 4243UL, None)
        arbitrary = [ typeof<Generators.Arbitraries> ] }

let testProp name property = testPropertyWithConfig config name property

let testPropN maxTest name property = testPropertyWithConfig { config with maxTest = maxTest } name property
