# Shared pieces of the examples' run.sh scripts (sourced, not run): the PASS/FAIL tally, packing this checkout into
# a local package folder, running an example's xunit project, and this checkout's Reports as `verified`.
# Set `here` (the example's folder) before sourcing; lib.sh sets root, nobuild, passed and failed.
#   VERIFIED_NO_BUILD=1   pack / run the checkout's existing Release build instead of building it (./test.sh does this)
root=$(cd "$here/../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
nobuild=(); [[ "${VERIFIED_NO_BUILD:-}" == "1" ]] && nobuild=(--no-build)
passed=0; failed=0

check() { # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then echo "PASS  $1"; passed=$((passed + 1)); else echo "FAIL  $1 (expected $2, got $3)"; failed=$((failed + 1)); fi
}

# Ends the script with the line "N passed, N failed" (exit 0 only when none failed); runs on_finish first if the
# example defines it (e.g. to delete its bin/obj).
finish() {
  declare -F on_finish > /dev/null && on_finish
  echo "run.sh took ${SECONDS} s"; echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]; exit $?
}

fresh_work() { # fresh_work NAME: an empty $work under artifacts/examples
  work="$root/artifacts/examples/$1"
  rm -rf "$work" && mkdir -p "$work"
}

# pack_verified PROJECT...: packs the projects into $work/packages as a unique prerelease version (so no stale copy
# in the NuGet cache is ever used) and sets version, packages and props (the build properties that restore from them).
pack_verified() {
  version="1.0.0-local.$(date +%s)"
  packages="$work/packages"
  props=(-c Release -p:VerifiedVersion="$version" -p:VerifiedPackages="$packages")
  echo "== pack Verified $version into $packages == (at ${SECONDS} s)"
  local project
  for project in "$@"; do
    dotnet pack "$root/$project" -c Release "${nobuild[@]}" -nologo -v quiet -p:VerifiedVersion="$version" -p:PackageOutputPath="$packages" \
      || { check "pack $project" 0 1; finish; }
  done
}

# run_xunit PROJECT: runs the example's test project against the packed Verified, adds its counts to the tally and
# sets xunit_passed / xunit_failed; finishes the script when there is no xunit summary.
run_xunit() {
  local out rc line
  out=$(dotnet test "$1" "${props[@]}" --nologo 2>&1); rc=$?
  echo "$out" | grep -E "error|\[FAIL\]|(Passed|Failed)!" | head -40
  line=$(echo "$out" | grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+" | tail -1)
  if [[ -z "$line" ]]; then echo "$out" | tail -30; check "xunit summary" present missing; finish; fi
  xunit_passed=$(echo "$line" | sed -E 's/.*Passed: +([0-9]+),.*/\1/'); xunit_failed=$(echo "$line" | sed -E 's/.*Failed: +([0-9]+),.*/\1/')
  passed=$((passed + xunit_passed)); failed=$((failed + xunit_failed))
  [[ $rc -ne 0 && $xunit_failed -eq 0 ]] && check "dotnet test exit code" 0 "$rc"
}

verified() { dotnet run --project "$root/Reports" -c Release "${nobuild[@]}" -- "$@"; } # this checkout's Reports CLI
