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
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$root/artifacts/examples/csharp-sampler"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rm -rf "$work" && mkdir -p "$work"
version="1.0.0-local.$(date +%s)"
packages="$work/packages"
passed=0; failed=0
check() { # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then echo "PASS  $1"; passed=$((passed + 1)); else echo "FAIL  $1 (expected $2, got $3)"; failed=$((failed + 1)); fi
}
finish() { echo "run.sh took ${SECONDS} s"; echo "$passed passed, $failed failed"; [[ $failed -eq 0 ]]; exit $?; }

echo "== pack Verified $version into $packages == (at ${SECONDS} s)"
nobuild=(); [[ "${VERIFIED_NO_BUILD:-}" == "1" ]] && nobuild=(--no-build)
for project in Theory/Theory.fsproj Numerics/Numerics.csproj Measuring/Measuring.csproj Reports/Reports.csproj; do
  dotnet pack "$root/$project" -c Release "${nobuild[@]}" -nologo -v quiet -p:VerifiedVersion="$version" -p:PackageOutputPath="$packages" \
    || { check "pack $project" 0 1; finish; }
done

echo "== install the verified tool == (at ${SECONDS} s)"
dotnet tool install Verified.Reports --version "$version" --tool-path "$work/tool" --add-source "$packages" >/dev/null \
  || { check "tool install" 0 1; finish; }
verified="$work/tool/verified"

echo "== the example's xunit test (restores Verified from $packages) == (at ${SECONDS} s)"
props=(-c Release -p:VerifiedVersion="$version" -p:VerifiedPackages="$packages")
out=$(dotnet test "$here/tests/Ralston.Tests" "${props[@]}" --nologo 2>&1); rc=$?
echo "$out" | grep -E "error|\[FAIL\]|(Passed|Failed)!" | head -40
line=$(echo "$out" | grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+" | tail -1)
if [[ -z "$line" ]]; then check "xunit summary" present missing; finish; fi
p=$(echo "$line" | sed -E 's/.*Passed: +([0-9]+),.*/\1/'); f=$(echo "$line" | sed -E 's/.*Failed: +([0-9]+),.*/\1/')
passed=$((passed + p)); failed=$((failed + f))
[[ $rc -ne 0 && $f -eq 0 ]] && check "dotnet test exit code" 0 "$rc"
plugin="$here/src/Ralston/bin/Release/net10.0/Example.Ralston.dll"
[[ -f "$plugin" ]] || { check "plug-in built at $plugin" yes no; finish; }

mine=(--assembly "$plugin" --only-assembly)
baseline="$work/baseline.json"
echo "== verified baseline / report / gate on the correct sampler == (at ${SECONDS} s)"
"$verified" baseline "${mine[@]}" --baseline "$baseline" 2>&1 | tail -2; check "baseline exit code" 0 "${PIPESTATUS[0]}"
out=$("$verified" report "${mine[@]}" --problems gauss-8d ring-2d --baseline "$baseline" --out "$work/report" 2>&1); rc=$?
echo "$out" | grep -E "ladders;|gate (PASSED|FAILED)|REGRESSION" | head -20
check "report + gate exit code (correct sampler)" 0 "$rc"
check "report has no FAIL (correct sampler)" 0 "$(echo "$out" | sed -nE 's/.* ([0-9]+) FAIL, .*/\1/p' | head -1)"
"$verified" gate "${mine[@]}" --baseline "$baseline" 2>&1 | grep -E "gate (PASSED|FAILED)"; check "gate exit code (correct sampler)" 0 "${PIPESTATUS[0]}"

echo "== the deliberately wrong variant (RALSTON_BUG=1) == (at ${SECONDS} s)"
out=$(RALSTON_BUG=1 "$verified" report "${mine[@]}" --problems gauss-8d ring-2d --no-gate --out "$work/report-bug" 2>&1); rc=$?
echo "$out" | grep -E "ladders;" | head -3
fails=$(echo "$out" | sed -nE 's/.* ([0-9]+) FAIL, .*/\1/p' | head -1)
check "report exits 1 on a FAIL verdict (wrong variant, --no-gate)" 1 "$rc"
check "report judges the wrong variant FAIL" yes "$([[ ${fails:-0} -gt 0 ]] && echo yes || echo no)"
RALSTON_BUG=1 "$verified" gate "${mine[@]}" --baseline "$baseline" 2>&1 | grep -E "gate (PASSED|FAILED)"; check "gate exit code (wrong variant)" 1 "${PIPESTATUS[0]}"

echo "== bad plug-in input exits 2 == (at ${SECONDS} s)"
"$verified" gate --assembly "$work/no-such.dll" --baseline "$baseline" 2>&1 | head -1; check "missing assembly exit code" 2 "${PIPESTATUS[0]}"
"$verified" gate --assembly "$baseline" --baseline "$baseline" 2>&1 | head -1; check "non-assembly file exit code" 2 "${PIPESTATUS[0]}"
finish
