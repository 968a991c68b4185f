using TorchSharp;

namespace Verified.Gpu.Tests.Cuda;

/// <summary>A test that needs a CUDA device: it runs when <c>torch.cuda.is_available()</c> and is reported as skipped,
/// with the reason, otherwise (the CPU build, TorchSharp-cpu, never has CUDA). With VERIFIED_REQUIRE_CUDA=1
/// (Gpu/run-gpu-checks.sh) it is never skipped, so a machine without a usable device fails instead of passing quietly.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    /// <summary>The skip reason when CUDA is absent.</summary>
    public const string Reason = "not run: torch.cuda.is_available() is false (TorchSharp-cpu build or no GPU; build with -p:TorchSharpBackend=cuda and run Gpu/run-gpu-checks.sh on a machine with a GPU)";

    /// <summary>Skips unless CUDA is available or required.</summary>
    public CudaFactAttribute()
    {
        if (!torch.cuda.is_available() && Environment.GetEnvironmentVariable("VERIFIED_REQUIRE_CUDA") != "1") Skip = Reason;
    }
}
