using TorchSharp;
using Verified.Gpu;
using Verified.Reports;
using Verified.Reports.Experiments;

namespace Example.Tests;

public class MidpointOrderTests
{
    // The quick preset on the 1-D Gaussian (exact output laws), float64 on the CPU device: a few seconds.
    private static readonly string[] Problems = ["gauss-1d"];

    private static TensorSamplerAdapter OnCpu(bool bug) => new(new Midpoint(bug), torch.ScalarType.Float64, torch.CPU);

    [Fact]
    public void Midpoint_meets_its_declared_order_2() => OrderAssert.MeetsDeclaredOrders(OnCpu(bug: false), Preset.Quick, Problems);

    [Fact]
    public void The_deliberate_bug_is_caught_as_order_1()
    {
        var e = Assert.Throws<DeclaredOrderException>(() => OrderAssert.MeetsDeclaredOrders(OnCpu(bug: true), Preset.Quick, Problems));
        Assert.Contains(e.Failing, s => s.Verdict == "FAIL" && s.Fit.Order is < 1.5);
        Assert.Contains("| tensor-example-midpoint[float64] |", e.Message);
    }
}
