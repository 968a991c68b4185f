using Verified.Reports;
using Verified.Reports.Experiments;

namespace Example.Tests;

public class RalstonOrderTests
{
    // The default preset's ladders (N = 4..512 exact, 4..64 mixture) on the 8-D Gaussian (exact output laws) and the
    // 2-D ring (RK45 reference), on every schedule that applies: a few seconds.
    private static readonly string[] Problems = ["gauss-8d", "ring-2d"];

    [Fact]
    public void Ralston_meets_its_declared_order_2() => OrderAssert.MeetsDeclaredOrders(new Ralston(bug: false), Preset.Default, Problems);

    [Fact]
    public void The_deliberate_bug_is_caught_as_order_1()
    {
        var e = Assert.Throws<DeclaredOrderException>(() => OrderAssert.MeetsDeclaredOrders(new Ralston(bug: true), Preset.Default, Problems));
        Assert.Contains(e.Failing, s => s.Verdict == "FAIL" && s.Fit.Order is < 1.5);
        Assert.Contains("| example-ralston |", e.Message);
    }
}
