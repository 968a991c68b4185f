#!/usr/bin/env bash
# Side-by-side throughput (wall clock, and per CPU-second, which other jobs on a shared machine distort less): the exact-oracle DDIM reference case in PyTorch (CPU, float64) and in Verified
# (Numerics batched path, and TorchSharp where available), timed in the same run; prints the ratio.
# Installs Debian's python3-torch if missing; runs it with Debian's /usr/bin/python3 (the first python3
# on PATH may be a separate build that does not see Debian's packages).
#   Benchmarks/peer/peer.sh [samples] [steps] [threads]
set -euo pipefail
cd "$(dirname "$0")/../.."
samples=${1:-1000000}; steps=${2:-100}; threads=${3:-2}
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "installing Debian's python3-torch (needs root)..." >&2
  apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
fi
dotnet build Benchmarks -c Release -nologo -v quiet >/dev/null
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
peer=$(/usr/bin/python3 Benchmarks/peer/peer_ddim.py "$samples" "$steps" "$threads")
ours=$(dotnet Benchmarks/bin/Release/net10.0/Verified.Benchmarks.dll throughput --samples "$samples" --steps "$steps" --threads "$threads" --torch-samples "$samples")
probe=$(dotnet Benchmarks/bin/Release/net10.0/Verified.Benchmarks.dll kernel-vs-exp)
echo "$peer"
echo "$ours"
echo "$probe"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$peer" "$ours" "$probe" <<'PY'
import json, sys
peer = json.loads(sys.argv[1])
probe = json.loads(sys.argv[3])
rows = [json.loads(line) for line in sys.argv[2].splitlines()]
numerics = next(r for r in rows if r['impl'].startswith('verified-numerics'))
for ours in rows:
    if 'mean_radius' not in ours:  # the ceiling line: exp alone, K exps per sample-step
        print(f"{ours['impl']}: {ours['sample_steps_per_second']:.3g} sample-steps/s "
              f"({ours['exps_per_second']:.3g} exps/s, {ours['lane_width']} lanes, {ours['threads']} threads); "
              f"Numerics runs at 1/{ours['sample_steps_per_cpu_second'] / numerics['sample_steps_per_cpu_second']:.2f} of it per CPU-second")
        continue
    print(f"{ours['impl']}: {ours['sample_steps_per_second']:.3g} sample-steps/s = "
          f"{ours['sample_steps_per_second'] / peer['sample_steps_per_second']:.1f}x PyTorch-CPU float64 "
          f"({peer['sample_steps_per_second']:.3g}/s, {peer['threads']} threads); per CPU-second "
          f"{ours['sample_steps_per_cpu_second'] / peer['sample_steps_per_cpu_second']:.2f}x; mean radius ours {ours['mean_radius']:.4f} vs peer {peer['mean_radius']:.4f}")
print(f"in cache (kernel-vs-exp, one block, one thread): kernel {probe['kernel_point_steps_per_cpu_second']:.3g} point-steps per CPU-second, "
      f"ceiling {probe['ceiling_point_steps_per_cpu_second']:.3g}: the kernel runs at 1/{probe['ceiling_over_kernel']:.2f} of its exp ceiling")
PY
