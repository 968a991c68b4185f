/// Project-local property helpers: every property runs with the suite's generators and a fixed
/// number of cases; Expecto prints the replay seed of a failing property.
module Verified.Verification.Properties

open Expecto

let config =
    { FsCheckConfig.defaultConfig with
        maxTest = 60
        arbitrary = [ typeof<Generators.Arbitraries> ] }

let testProp name property = testPropertyWithConfig config name property

let testPropN maxTest name property = testPropertyWithConfig { config with maxTest = maxTest } name property
