using TorchSharp;

namespace Verified.Gpu.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void TorchSharp_native_library_loads_and_computes_in_float64()
    {
        // [[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]], computed here by hand, not by torch.
        using var a = torch.tensor(new double[] { 1, 2, 3, 4 }, [2, 2], torch.float64);
        using var b = torch.tensor(new double[] { 5, 6, 7, 8 }, [2, 2], torch.float64);
        using var c = torch.matmul(a, b);
        Assert.Equal(new double[] { 19, 22, 43, 50 }, c.data<double>().ToArray());
        Assert.Equal(torch.ScalarType.Float64, c.dtype);
    }

    [Fact]
    public void Default_device_is_cpu_without_cuda_and_asking_for_cuda_fails_clearly()
    {
        if (torch.cuda.is_available()) return; // on a CUDA build the default is CUDA; nothing to check here
        Assert.Equal(DeviceType.CPU, TorchRuntime.DefaultDevice().type);
        var ex = Assert.Throws<ArgumentException>(() => TorchRuntime.Parse("cuda"));
        Assert.Contains("CUDA is not available", ex.Message);
    }
}
