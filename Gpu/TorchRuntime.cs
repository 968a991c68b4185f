using TorchSharp;

namespace Verified.Gpu;

/// <summary>Where tensors live: CUDA when a CUDA build of TorchSharp and a device are present, else the CPU.</summary>
public static class TorchRuntime
{
    /// <summary>The default device: CUDA if available, otherwise CPU.</summary>
    public static torch.Device DefaultDevice() => torch.cuda.is_available() ? torch.CUDA : torch.CPU;

    /// <summary>A device by name ("cpu", "cuda", "cuda:1"); a clear error if CUDA is asked for but not available.</summary>
    public static torch.Device Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !torch.cuda.is_available())
            throw new ArgumentException($"device '{name}' requested but CUDA is not available (this build uses TorchSharp-cpu); use 'cpu'", nameof(name));
        return new torch.Device(name);
    }
}
