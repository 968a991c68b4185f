#!/usr/bin/env bash
# The TorchSharp worked example of docs/YOUR-SAMPLER.md, run as a user's CI would run it:
#   1. packs Theory, Numerics, Measuring and Gpu of this Verified checkout into a local folder (a unique prerelease
#      version, so no stale copy in the NuGet cache is ever used);
#   2. builds this repository-shaped example (a TensorSampler, the explicit midpoint rule, written outside Verified)
#      against those packages and runs its xunit test: OrderAssert through TensorSamplerAdapter on the CPU in float64
#      passes for the correct sampler and throws DeclaredOrderException for the deliberately wrong variant
#      (src/Midpoint/Midpoint.cs: the second stage at t instead of the midpoint; TENSOR_MIDPOINT_BUG=1 switches it on
#      for the parameterless constructor).
#   3. deletes the example's bin/obj (each output folder that references Verified.Gpu carries libtorch, ~1.4 GB).
#   4. records the example's own baseline and runs the gate on the correct and the wrong variant through --assembly
#      (MidpointProvider); this checkout's Reports runs them, since the verified tool ships without libtorch natives.
# Ends with one line "N passed, N failed"; exit 0 only when every check passed.
#   VERIFIED_NO_BUILD=1   pack the checkout's existing Release build instead of building it (./test.sh does this)
# The shared helpers (check, finish, pack_verified, run_xunit, verified) are in examples/lib.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
on_finish() { rm -rf "$here"/src/*/bin "$here"/src/*/obj "$here"/tests/*/bin "$here"/tests/*/obj; }
fresh_work tensor-sampler
pack_verified Theory/Theory.fsproj Numerics/Numerics.csproj Measuring/Measuring.csproj Gpu/Gpu.csproj

echo "== the example's xunit test (restores Verified.Gpu and Verified.Measuring from $packages) == (at ${SECONDS} s)"
run_xunit "$here/tests/Midpoint.Tests"
check "both tests ran (correct passes, wrong variant throws)" 2 "$((xunit_passed + xunit_failed))"

# The gate on the same sampler, with this repository's own baseline: MidpointProvider (an ISamplerProvider) exposes
# the adapter to --assembly. The packed tool has no libtorch natives, so this checkout's Reports runs it.
echo "== baseline and gate of the sampler library through --assembly == (at ${SECONDS} s)"
dotnet build "$here/src/Midpoint" "${props[@]}" -nologo -v quiet > "$work/build.log" 2>&1 || { tail -20 "$work/build.log"; check "build the sampler library" 0 1; finish; }
dll="$here/src/Midpoint/bin/Release/net10.0/Example.Midpoint.dll"
mine=(--only-assembly --assembly "$dll" --baseline "$work/baseline.json")
verified baseline "${mine[@]}" 2>&1 | grep -E "baseline (written|NOT)"; check "baseline of the correct sampler exit code" 0 "${PIPESTATUS[0]}"
verified gate "${mine[@]}" 2>&1 | grep -E "^gate (PASSED|FAILED)"; check "gate exit code (correct sampler)" 0 "${PIPESTATUS[0]}"
TENSOR_MIDPOINT_BUG=1 verified gate "${mine[@]}" 2>&1 | grep -E "^gate (PASSED|FAILED)"; check "gate exit code (wrong variant)" 1 "${PIPESTATUS[0]}"
finish
