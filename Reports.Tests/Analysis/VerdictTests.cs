using Verified.Reports.Analysis;

namespace Verified.Reports.Tests.Analysis;

public class VerdictTests
{
    private static readonly int[] Steps = [4, 8, 16, 32];

    private static OrderEstimate Fit(double order, double lo, double hi, bool window = true) =>
        new(window ? order : double.NaN, lo, hi, window ? 4 : 0, window ? 32 : 0, [order, order, order], [DropReason.None, DropReason.None, DropReason.None, DropReason.None]);

    [Theory]
    [InlineData(2.19, "PASS")]
    [InlineData(1.81, "PASS")]
    [InlineData(2.21, "FAIL")]
    [InlineData(1.79, "FAIL")]
    public void Exact_tier_accepts_within_0_2_of_the_declared_order(double fitted, string expected)
    {
        var (verdict, reason) = Verdicts.Judge("exact", 2.0, Fit(fitted, fitted - 5, fitted + 5), Steps);
        Assert.Equal(expected, verdict);
        if (verdict != Verdict.Pass) Assert.Contains("declared", reason);
    }

    [Theory]
    [InlineData(0.8, 1.3, "PASS")]
    [InlineData(1.05, 1.3, "FAIL")]
    [InlineData(0.5, 0.95, "FAIL")]
    public void Monte_Carlo_tier_asks_for_the_declared_order_inside_the_CI(double lo, double hi, string expected)
    {
        var (verdict, reason) = Verdicts.Judge("monte-carlo", 1.0, Fit((lo + hi) / 2, lo, hi), Steps);
        Assert.Equal(expected, verdict);
        if (verdict != Verdict.Pass) Assert.Contains("CI", reason);
    }

    [Fact]
    public void A_Monte_Carlo_CI_too_wide_to_test_is_inconclusive()
    {
        var (verdict, reason) = Verdicts.Judge("monte-carlo", 1.0, Fit(1.0, 0.4, 1.65), Steps);
        Assert.Equal(Verdict.Inconclusive, verdict);
        Assert.Contains("too wide", reason);
    }

    [Fact]
    public void No_window_is_inconclusive_with_a_reason()
    {
        var (verdict, reason) = Verdicts.Judge("exact", 1.0, Fit(1.0, 0, 2, window: false), Steps);
        Assert.Equal(Verdict.Inconclusive, verdict);
        Assert.Contains("asymptotic regime", reason);
    }

    [Fact]
    public void Dropped_points_are_named_in_the_reason()
    {
        var fit = new OrderEstimate(1, 0.9, 1.1, 4, 16, [1, 1], [DropReason.None, DropReason.None, DropReason.None, DropReason.RoundOff]);
        var (_, reason) = Verdicts.Judge("exact", 1.0, fit, Steps);
        Assert.Contains("N = 32 dropped: below the round-off floor", reason);
    }
}
