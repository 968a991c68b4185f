using Verified.Reports.Analysis;

namespace Verified.Reports.Tests.Analysis;

/// <summary>The claim rule on hand-made fits and ladders whose true order is known by construction.</summary>
public class OrderClaimTests
{
    private static readonly int[] Steps = [4, 8, 16, 32];

    private static OrderEstimate Fit(double order, double lo, double hi, double[]? local = null) =>
        new(order, lo, hi, 4, 32, local ?? [order, order, order], [DropReason.None, DropReason.None, DropReason.None, DropReason.None]);

    /// <summary>e(N) = N^-p (1 + c/N): a power law with a first correction term.</summary>
    private static List<ErrorPoint> Ladder(IEnumerable<int> steps, double p, double c) =>
        steps.Select(n => new ErrorPoint(n, Math.Pow(n, -p) * (1 + c / n))).ToList();

    [Theory]
    [InlineData(1.81, "PASS")]
    [InlineData(2.0, "PASS")]
    [InlineData(2.9, "PASS")]
    [InlineData(1.79, "FAIL")]
    [InlineData(1.0, "FAIL")]
    public void Exact_tier_passes_at_least_the_declared_order_minus_0_2_and_fails_a_settled_lower_order(double fitted, string expected)
    {
        var j = OrderClaim.Judge(Tier.Exact, 2.0, Fit(fitted, fitted - 0.01, fitted + 0.01), Steps);
        Assert.Equal(expected, j.Verdict.Name);
        Assert.False(j.WantsLongerLadder);
        if (j.Verdict == Verdict.Fail) Assert.Contains("below the declared", j.Reason);
    }

    [Fact]
    public void An_order_above_the_declared_one_is_a_pass_with_a_superconvergence_note()
    {
        var j = OrderClaim.Judge(Tier.Exact, 2.0, Fit(3.0, 2.99, 3.01), Steps);
        Assert.Equal(Verdict.Pass, j.Verdict);
        Assert.Contains("superconvergent", j.Reason);
    }

    [Fact]
    public void Local_orders_still_rising_towards_the_declared_order_ask_for_a_longer_ladder_not_a_fail()
    {
        // Local orders 1.2, 1.55, 1.72: increments about halve, Aitken limit 1.88 >= 2 - 0.2.
        var j = OrderClaim.Judge(Tier.Exact, 2.0, Fit(1.5, 1.49, 1.51, [1.2, 1.55, 1.72]), Steps);
        Assert.Equal(Verdict.Inconclusive, j.Verdict);
        Assert.True(j.WantsLongerLadder);
        Assert.Contains("beyond N = 32", j.Reason);
    }

    [Fact]
    public void Local_orders_rising_towards_a_lower_limit_fail()
    {
        // Increments halve towards 1.0 + 0.1 + 0.05 + ... = about 1.2 < 1.8.
        var j = OrderClaim.Judge(Tier.Exact, 2.0, Fit(1.1, 1.09, 1.11, [0.9, 1.1, 1.2]), Steps);
        Assert.Equal(Verdict.Fail, j.Verdict);
    }

    [Theory]
    [InlineData(0.8, 1.3, "PASS")]     // CI contains 1 and excludes 0.5
    [InlineData(1.05, 1.3, "PASS")]    // above the declared order
    [InlineData(0.3, 0.5, "FAIL")]     // upper 99.9% bound 0.56 < 1
    [InlineData(0.6, 0.9, "FAIL")]     // 0.75 + 1.58 * 0.15 = 0.99 < 1
    [InlineData(0.3, 1.3, "INCONCLUSIVE")] // contains 1, cannot exclude 0.5
    public void Monte_Carlo_tier_fails_only_when_the_one_sided_upper_bound_is_below_the_declared_order(double lo, double hi, string expected)
    {
        var j = OrderClaim.Judge(Tier.MonteCarlo, 1.0, Fit((lo + hi) / 2, lo, hi), Steps);
        Assert.Equal(expected, j.Verdict.Name);
    }

    [Fact]
    public void A_Monte_Carlo_CI_that_cannot_exclude_a_drop_of_0_5_is_inconclusive_and_says_how_many_more_samples()
    {
        var j = OrderClaim.Judge(Tier.MonteCarlo, 1.0, Fit(1.0, 0.4, 1.6), Steps);
        Assert.Equal(Verdict.Inconclusive, j.Verdict);
        Assert.Contains("2x the Monte Carlo samples", j.Reason); // (0.6 / 0.5)^2 = 1.44 -> 2
    }

    [Fact]
    public void No_window_asks_for_a_longer_ladder()
    {
        var fit = new OrderEstimate(double.NaN, double.NaN, double.NaN, 0, 0, [3, 1], [DropReason.None, DropReason.None, DropReason.None, DropReason.None]);
        var j = OrderClaim.Judge(Tier.Exact, 1.0, fit, Steps);
        Assert.Equal(Verdict.Inconclusive, j.Verdict);
        Assert.True(j.WantsLongerLadder);
    }

    [Fact]
    public void An_exact_staircase_without_a_window_passes_when_every_fine_end_secant_reaches_the_declared_order()
    {
        // Local orders oscillate (no two consecutive agree within 0.3) but average above 1 at the fine end.
        var staircase = new OrderEstimate(double.NaN, double.NaN, double.NaN, 0, 0, [0.9, 1.4, 0.85, 1.36], [.. Enumerable.Repeat(DropReason.None, 5)]);
        Assert.Equal(Verdict.Pass, OrderClaim.Judge(Tier.Exact, 1.0, staircase, [1, 2, 4, 8, 16]).Verdict);
        // The same shape at half the rate does not: the secant 0.68 < 0.8.
        var slow = staircase with { LocalOrders = [0.45, 0.7, 0.43, 0.68] };
        Assert.Equal(Verdict.Inconclusive, OrderClaim.Judge(Tier.Exact, 1.0, slow, [1, 2, 4, 8, 16]).Verdict);
    }

    [Fact]
    public void A_Monte_Carlo_ladder_lost_in_noise_asks_for_samples_not_steps()
    {
        var fit = new OrderEstimate(double.NaN, double.NaN, double.NaN, 0, 0, [], [DropReason.None, DropReason.Unresolved, DropReason.Unresolved, DropReason.Unresolved]);
        var j = OrderClaim.Judge(Tier.MonteCarlo, 1.0, fit, Steps);
        Assert.False(j.WantsLongerLadder);
        Assert.Contains("samples", j.Reason);
    }

    [Fact]
    public void Dropped_points_are_named_in_the_reason()
    {
        var fit = new OrderEstimate(1, 0.9, 1.1, 4, 16, [1, 1], [DropReason.None, DropReason.None, DropReason.None, DropReason.RoundOff]);
        Assert.Contains("N = 32 dropped: below the round-off floor", OrderClaim.Judge(Tier.Exact, 1.0, fit, Steps).Reason);
    }

    [Fact]
    public void A_pre_asymptotic_ladder_is_extended_until_it_decides()
    {
        // e = N^-2 (1 - 3.5/N): on 4..32 the local orders rise -0.17, 1.53, 1.81 (fit on 8..32 below 1.8); N = 64 settles them.
        var measured = new List<int>();
        var judged = OrderClaim.JudgeExtending(Tier.Exact, 2.0, Steps, ladder => { measured.Add(ladder[^1]); return Ladder(ladder, 2, -3.5); }, l => l, 0);
        Assert.Equal(Verdict.Pass, judged.Judgement.Verdict);
        Assert.True(judged.Doublings >= 1);
        Assert.Equal(32 << judged.Doublings, judged.Steps[^1]);
        Assert.Contains("extended", judged.Judgement.Reason);
        Assert.Equal(judged.Doublings + 1, measured.Count);
    }

    /// <summary>Local orders that rise by a constant 0.25 per doubling never settle (no extrapolated limit).</summary>
    private static List<ErrorPoint> Linear(IReadOnlyList<int> ladder)
    {
        var points = new List<ErrorPoint> { new(ladder[0], 1) };
        for (int k = 1; k < ladder.Count; k++) points.Add(new(ladder[k], points[^1].Error * Math.Pow(2, -(0.5 + 0.25 * k))));
        return points;
    }

    [Fact]
    public void Extension_stops_at_the_budget_and_says_so()
    {
        var judged = OrderClaim.JudgeExtending(Tier.Exact, 3.0, Steps, Linear, l => l, 0, maxDoublings: 1);
        Assert.Equal(Verdict.Inconclusive, judged.Judgement.Verdict);
        Assert.Equal(1, judged.Doublings);
        Assert.Contains("budget", judged.Judgement.Reason);
    }

    [Fact]
    public void A_ladder_whose_finest_point_is_round_off_is_not_extended()
    {
        // Same never-settling ladder as above, but with a floor that the finest point is under (a float32 sampler):
        // a finer N cannot add information, so no re-measurement is asked for.
        double floor = Linear(Steps)[^1].Error * 1.5;
        var measured = 0;
        var judged = OrderClaim.JudgeExtending(Tier.Exact, 3.0, Steps, l => { measured++; return Linear(l); }, l => l, floor);
        Assert.Equal(0, judged.Doublings);
        Assert.Equal(1, measured);
    }

    [Fact]
    public void An_exact_tier_FAIL_is_confirmed_on_one_doubled_ladder_and_stands_when_the_order_is_really_low()
    {
        // Order 1 where 2 is declared: FAIL on 4..32, re-measured once on 4..64 (no more: a wrong sampler must stay cheap).
        var measured = new List<int>();
        var judged = OrderClaim.JudgeExtending(Tier.Exact, 2.0, Steps, ladder => { measured.Add(ladder[^1]); return Ladder(ladder, 1, 0.3); }, l => l, 0);
        Assert.Equal(Verdict.Fail, judged.Judgement.Verdict);
        Assert.Equal([32, 64], measured);
        Assert.Contains("confirming", judged.Judgement.Reason);
    }
}
