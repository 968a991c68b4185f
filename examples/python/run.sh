#!/usr/bin/env bash
# Samplers in another process (docs/PROTOCOL.md): the Python examples of samplers.py, served through
# clients/python/verified_client.py, measured by this checkout's `verified` with their own baseline. Four checks:
# the right samplers are reported PASS, the deliberately wrong py-heun (--wrong-heun) FAIL, and the gate against
# examples/python/baseline.json exits 0 on the right ones and 1 on the wrong one.
# Ends with one line "N passed, N failed"; exit 0 only when every check passed.
#   VERIFIED_NO_BUILD=1   use the checkout's existing Release build of Reports (./test.sh does this)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh" # check, finish, verified
cd "$root"
fresh_work python
export PYTHONDONTWRITEBYTECODE=1
py="python3 $here/samplers.py"
samplers=py-euler,py-heun,py-dpm-solver-1
verdicts() { # report.json sampler -> its verdicts, one per ladder
  python3 -c 'import json,sys; print(" ".join(s["verdict"] for s in json.load(open(sys.argv[1]))["series"] if s["sampler"] == sys.argv[2]))' "$1" "$2" 2>/dev/null
}
all_pass() { [[ -n "$1" && "$1" != *FAIL* && "$1" != *INCONCLUSIVE* ]] && echo yes || echo "no ($1)"; }

# The quick preset on gauss-1d: exact errors, N = 4..64 (the ring's N <= 32 is pre-asymptotic for Heun in sigma_k).
verified report --quick --no-gate --problems gauss-1d --external "$py" --samplers "$samplers" --out "$work/right" 2>&1 | tail -1
ok=yes; for s in py-euler py-heun py-dpm-solver-1; do [[ $(all_pass "$(verdicts "$work/right/report.json" $s)") == yes ]] || ok=no; done
check "report: py-euler, py-heun, py-dpm-solver-1 PASS" yes $ok

verified report --quick --no-gate --problems gauss-1d --external "$py --wrong-heun" --samplers py-heun --out "$work/wrong" 2>&1 | tail -1
v=$(verdicts "$work/wrong/report.json" py-heun); [[ "$v" == *FAIL* ]] && got=FAIL || got="no FAIL ($v)"
check "report: the wrong py-heun (--wrong-heun) FAIL" FAIL "$got"

verified gate --external "$py" --samplers "$samplers" --baseline "$here/baseline.json" > "$work/gate-right.txt" 2>&1; rc=$?
grep -E "^gate (PASSED|FAILED)" "$work/gate-right.txt"
check "gate on the right samplers exits 0" 0 $rc

verified gate --external "$py --wrong-heun" --samplers "$samplers" --baseline "$here/baseline.json" > "$work/gate-wrong.txt" 2>&1; rc=$?
grep -E "^gate (PASSED|FAILED)" "$work/gate-wrong.txt"
check "gate on the wrong py-heun exits 1" 1 $rc

finish
