#!/usr/bin/env bash
# The worked example of docs/YOUR-SAMPLER.md, run as a user's CI would run it:
#   1. packs this Verified checkout into a local folder (a unique prerelease version, so no stale copy in the NuGet
#      cache is ever used) and installs the `verified` tool from it into a tool path;
#   2. builds this repository-shaped example against those packages and runs its xunit test (OrderAssert);
#   3. records the example's own baseline with `verified baseline --assembly`, then runs `verified report` and
#      `verified gate --assembly` on the correct sampler (PASS, exit 0) and on the deliberately wrong variant
#      RALSTON_BUG=1 (FAIL in the report, gate exit 1).
# Ends with one line "N passed, N failed"; exit 0 only when every check passed.
#   VERIFIED_NO_BUILD=1   pack the checkout's existing Release build instead of building it (./test.sh does this)
# The shared helpers (check, finish, pack_verified, run_xunit) are in examples/lib.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
fresh_work csharp-sampler
pack_verified Theory/Theory.fsproj Numerics/Numerics.csproj Measuring/Measuring.csproj Reports/Reports.csproj

echo "== install the verified tool == (at ${SECONDS} s)"
dotnet tool install Verified.Reports --version "$version" --tool-path "$work/tool" --add-source "$packages" >/dev/null \
  || { check "tool install" 0 1; finish; }
tool="$work/tool/verified" # the installed tool, as a user runs it (not lib.sh's verified, this checkout's Reports)

echo "== the example's xunit test (restores Verified from $packages) == (at ${SECONDS} s)"
run_xunit "$here/tests/Ralston.Tests"
plugin="$here/src/Ralston/bin/Release/net10.0/Example.Ralston.dll"
[[ -f "$plugin" ]] || { check "plug-in built at $plugin" yes no; finish; }

mine=(--assembly "$plugin" --only-assembly)
baseline="$work/baseline.json"
echo "== verified baseline / report / gate on the correct sampler == (at ${SECONDS} s)"
"$tool" baseline "${mine[@]}" --baseline "$baseline" 2>&1 | tail -2; check "baseline exit code" 0 "${PIPESTATUS[0]}"
out=$("$tool" report "${mine[@]}" --problems gauss-8d ring-2d --baseline "$baseline" --out "$work/report" 2>&1); rc=$?
echo "$out" | grep -E "ladders;|gate (PASSED|FAILED)|REGRESSION" | head -20
check "report + gate exit code (correct sampler)" 0 "$rc"
check "report has no FAIL (correct sampler)" 0 "$(echo "$out" | sed -nE 's/.* ([0-9]+) FAIL, .*/\1/p' | head -1)"
"$tool" gate "${mine[@]}" --baseline "$baseline" 2>&1 | grep -E "gate (PASSED|FAILED)"; check "gate exit code (correct sampler)" 0 "${PIPESTATUS[0]}"

echo "== the deliberately wrong variant (RALSTON_BUG=1) == (at ${SECONDS} s)"
out=$(RALSTON_BUG=1 "$tool" report "${mine[@]}" --problems gauss-8d ring-2d --no-gate --out "$work/report-bug" 2>&1); rc=$?
echo "$out" | grep -E "ladders;" | head -3
fails=$(echo "$out" | sed -nE 's/.* ([0-9]+) FAIL, .*/\1/p' | head -1)
check "report exits 1 on a FAIL verdict (wrong variant, --no-gate)" 1 "$rc"
check "report judges the wrong variant FAIL" yes "$([[ ${fails:-0} -gt 0 ]] && echo yes || echo no)"
RALSTON_BUG=1 "$tool" gate "${mine[@]}" --baseline "$baseline" 2>&1 | grep -E "gate (PASSED|FAILED)"; check "gate exit code (wrong variant)" 1 "${PIPESTATUS[0]}"

echo "== bad plug-in input exits 2 == (at ${SECONDS} s)"
"$tool" gate --assembly "$work/no-such.dll" --baseline "$baseline" 2>&1 | head -1; check "missing assembly exit code" 2 "${PIPESTATUS[0]}"
"$tool" gate --assembly "$baseline" --baseline "$baseline" 2>&1 | head -1; check "non-assembly file exit code" 2 "${PIPESTATUS[0]}"
finish
