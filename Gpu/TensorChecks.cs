using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Argument checks at the tensor API's public boundary: shape, dtype, device and finiteness, with messages
/// that name the parameter, what was given and what is valid.</summary>
internal static class TensorChecks
{
    public static void FloatingType(ScalarType dtype, string name)
    {
        if (dtype != ScalarType.Float64 && dtype != ScalarType.Float32)
            throw new ArgumentException($"{name} must be Float64 or Float32, got {dtype}", name);
    }

    /// <summary>x must be [n, d] of the given dtype on the given device.</summary>
    public static void Batch(Tensor x, int dimension, ScalarType dtype, Device device, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.dim() != 2 || x.shape[1] != dimension)
            throw new ArgumentException($"{name} must have shape [n, {dimension}], got [{string.Join(", ", x.shape)}]", name);
        if (x.dtype != dtype)
            throw new ArgumentException($"{name} must have dtype {dtype}, got {x.dtype}", name);
        if (x.device_type != device.type || (device.index >= 0 && x.device_index != device.index))
            throw new ArgumentException($"{name} must live on {device}, got {x.device}", name);
    }

    /// <summary>Throws if any entry of x is NaN or infinite.</summary>
    public static void Finite(Tensor x, string name)
    {
        using var scope = NewDisposeScope();
        if (!x.isfinite().all().item<bool>())
            throw new ArgumentException($"{name} must be finite, got a NaN or infinite entry", name);
    }

    /// <summary>classes must be int64 [n] with entries -1 (null) or 0..count-1.</summary>
    public static void Classes(Tensor classes, long n, int count, string name)
    {
        if (classes.dtype != ScalarType.Int64 || classes.dim() != 1 || classes.shape[0] != n)
            throw new ArgumentException($"{name} must be an int64 tensor of shape [{n}], got {classes.dtype} [{string.Join(", ", classes.shape)}]", name);
        using var scope = NewDisposeScope();
        long lo = classes.min().item<long>(), hi = classes.max().item<long>();
        if (lo < -1 || hi >= count)
            throw new ArgumentOutOfRangeException(name, $"{name} entries must be -1 (null) or a label in 0..{count - 1}, got range {lo}..{hi}");
    }
}
