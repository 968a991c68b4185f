#!/usr/bin/env bash
# Runs every test of Verified: restores, builds, runs each xunit project and the Expecto
# claims suite, then the sampler regression gate and the worked examples (examples/*/run.sh), and ends with one line "N passed, N failed[, N skipped]".
# Exit status: 0 only when everything built and every test passed.
#   ./test.sh            the standard suite (<= 10 minutes on 2 cores)
#   VERIFIED_STRESS=1    reruns the statistical tests with fresh seeds (see docs/STATISTICS.md)
set -uo pipefail
cd "$(dirname "$0")"
config=Release
results=artifacts/test
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== restore and build =="
dotnet restore Verified.sln || { echo "0 passed, 1 failed"; exit 1; }
dotnet build Verified.sln -c "$config" --no-restore -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0; skipped=0; status=0
strip_ansi() { sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g'; }

# xunit projects: every *.Tests.csproj in the tree (C# unit tests sit beside the code they test).
while IFS= read -r project; do
  echo "== xunit: $project =="
  out=$(dotnet test "$project" -c "$config" --no-build --nologo 2>&1 | strip_ansi); rc=$?
  echo "$out" | grep -E "^(Passed|Failed)!|error|\[FAIL\]|Assert|Expected|Actual" | head -200
  line=$(echo "$out" | grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+" | tail -1)
  if [[ -z "$line" ]]; then echo "no xunit summary from $project"; failed=$((failed + 1)); status=1; continue; fi
  f=$(echo "$line" | sed -E 's/.*Failed: +([0-9]+),.*/\1/')
  p=$(echo "$line" | sed -E 's/.*Passed: +([0-9]+),.*/\1/')
  s=$(echo "$line" | sed -E 's/.*Skipped: +([0-9]+),.*/\1/')
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  [[ $rc -ne 0 || $f -ne 0 ]] && status=1
done < <(find . -name '*.Tests.csproj' -not -path './artifacts/*' -not -path './examples/*' | sort)

# Numerics.Tests once more with AVX-512 off: the batched oracle then runs its 256-bit path (what AVX2 machines take),
# and its tests hold every lane width to the scalar code bit for bit. Counted as one test.
echo "== xunit: Numerics.Tests at 256-bit lanes (DOTNET_EnableAVX512=0) =="
lanes=(); grep -qw avx2 /proc/cpuinfo 2>/dev/null && lanes=(VERIFIED_EXPECT_LANE_WIDTH=4)
out=$(env DOTNET_EnableAVX512=0 "${lanes[@]}" dotnet test Numerics.Tests -c "$config" --no-build --nologo 2>&1 | strip_ansi); rc=$?
echo "$out" | grep -E "^(Passed|Failed)!|\[FAIL\]" | head -40
if [[ $rc -eq 0 ]] && grep -qE "^Passed!" <<< "$out"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi

echo "== Expecto: Verification =="
extra=()
[[ "${VERIFIED_STRESS:-}" == "1" ]] && extra+=(--filter-test-list Statistical)
out=$(dotnet run --project Verification -c "$config" --no-build -- --summary --colours 0 --no-spinner \
        --junit-summary "$results/verification.junit.xml" "${extra[@]}" 2>&1); rc=$?
echo "$out" | strip_ansi | grep -vE "^\s+Verified\." | grep -vE "^\s*at " | tail -60
# --colours 0 (and a pipe) must give plain text: no ANSI escape anywhere in the suite's output.
if grep -q $'\x1b' <<< "$out"; then echo "ANSI escapes in the --colours 0 output"; failed=$((failed + 1)); status=1; else passed=$((passed + 1)); fi
line=$(echo "$out" | strip_ansi | grep -E "EXPECTO! .* tests run" | tail -1)
if [[ -z "$line" ]]; then
  echo "no Expecto summary"; failed=$((failed + 1)); status=1
else
  p=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
  i=$(echo "$line" | sed -E 's/.* ([0-9]+) ignored.*/\1/')
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  e=$(echo "$line" | sed -E 's/.* ([0-9]+) errored.*/\1/')
  passed=$((passed + p)); failed=$((failed + f + e)); skipped=$((skipped + i))
  [[ $rc -ne 0 || $f -ne 0 || $e -ne 0 ]] && status=1
fi

# The sampler regression gate (docs/REPORTS.md): one test, passed when no sampler regressed against reports/baseline.json.
echo "== Reports: sampler regression gate =="
dotnet run --project Reports -c "$config" --no-build -- gate 2>&1 | strip_ansi | tail -80; rc=${PIPESTATUS[0]}
if [[ $rc -eq 0 ]]; then passed=$((passed + 1)); else echo "gate exit code $rc"; failed=$((failed + 1)); status=1; fi

# The report page (docs/REPORTS.md): a quick report, checked in headless Chromium (renders, no broken image, the
# summary on the first 1400x900 screen) and for size (report.html <= 2 MB). Skipped with a note without Chromium.
echo "== Reports: report page in headless Chromium =="
page="$results/report-page"
if dotnet run --project Reports -c "$config" --no-build -- report --quick --no-gate --out "$page" > "$results/report-page.log" 2>&1; then
  size=$(stat -c %s "$page/report.html")
  Reports/check-report-page.sh "$page" "$results/report-page.png"; rc=$?
  if [[ $rc -eq 77 ]]; then skipped=$((skipped + 1))
  elif [[ $rc -eq 0 && $size -le 2097152 ]]; then echo "report.html $size bytes (<= 2 MB)"; passed=$((passed + 1))
  else echo "page check failed (exit $rc, report.html $size bytes)"; failed=$((failed + 1)); status=1; fi
else
  tail -20 "$results/report-page.log"; echo "quick report failed"; failed=$((failed + 1)); status=1
fi

# Worked examples (docs/YOUR-SAMPLER.md): each examples/*/run.sh packs this build, runs a user's project against the
# packages and the tool, and ends with "N passed, N failed" (wrong variants must be judged FAIL and fail the gate).
for script in examples/*/run.sh; do
  [[ -x "$script" ]] || continue
  echo "== example: $script =="
  out=$(VERIFIED_NO_BUILD=1 "$script" 2>&1); rc=$?
  echo "$out" | strip_ansi | grep -E "^(PASS|FAIL)  |error|(Passed|Failed)!" | tail -40
  line=$(echo "$out" | strip_ansi | grep -E "^[0-9]+ passed, [0-9]+ failed$" | tail -1)
  if [[ -z "$line" ]]; then echo "no summary from $script"; failed=$((failed + 1)); status=1; continue; fi
  p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/'); f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
  passed=$((passed + p)); failed=$((failed + f))
  [[ $rc -ne 0 || $f -ne 0 ]] && status=1
done

if ((skipped > 0)); then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit $status
