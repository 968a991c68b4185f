#!/usr/bin/env bash
# The GPU checks, for a machine with an NVIDIA GPU and access to the default NuGet feed (docs/GPU.md, "CUDA").
# Builds Gpu.Tests against TorchSharp-cuda-linux (-p:TorchSharpBackend=cuda, its own packages.cuda.lock.json) and runs
# the tests of category Cuda with VERIFIED_REQUIRE_CUDA=1, so a machine where torch.cuda.is_available() is false fails
# instead of skipping. Then the whole Gpu.Tests suite on that build (the CPU tests must pass on the CUDA package too).
# Exit 0: every check ran and passed; anything else: a failure (the output names it).
# Never run on the build machines of this repository (no GPU, no CUDA package): see docs/GPU.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
    echo "run-gpu-checks: no NVIDIA GPU visible (nvidia-smi -L failed); these checks need one" >&2
    exit 2
fi
nvidia-smi -L

# Not locked: the CUDA lock files are written by this first restore (commit them once they are trusted).
dotnet build Gpu.Tests/Gpu.Tests.csproj -c Release -p:TorchSharpBackend=cuda -p:RestoreLockedMode=false

export VERIFIED_REQUIRE_CUDA=1
dotnet test Gpu.Tests/Gpu.Tests.csproj -c Release --no-build -p:TorchSharpBackend=cuda --filter "Category=Cuda"
dotnet test Gpu.Tests/Gpu.Tests.csproj -c Release --no-build -p:TorchSharpBackend=cuda
echo "run-gpu-checks: all GPU checks passed"
