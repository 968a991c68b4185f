using Verified.Numerics;
using Verified.Reports.Analysis;
using Verified.Reports.Gate;
using Verified.Reports.Model;

namespace Verified.Reports.Tests.Gate;

/// <summary>The gate judges correctness, not only change: a stored FAIL is never accepted.</summary>
public class GateVerdictTests
{
    /// <summary>A ladder measured at order 1 (e = N^-1 exactly) for a sampler that declares order 2, stored with the
    /// verdict a careless or older rule might have written.</summary>
    private static SeriesResult WrongOrder(Verdict stored) => Fixtures.Exact("heun", 2) with
    {
        Points = [.. new[] { 4, 8, 16, 32 }.Select(n => new LadderPoint(n, 2 * n, 1.0 / n, 0, 1e-5, null, null, null))],
        Verdict = stored,
    };

    [Fact]
    public void A_wrong_order_re_recorded_as_the_baseline_still_fails_the_gate()
    {
        // baseline --force on a wrong sampler would make baseline == current: no drift at all...
        var doc = Fixtures.Document(WrongOrder(Verdict.Pass), Fixtures.MonteCarlo(Fixtures.Samples()));
        var current = Judging.Rejudge(doc);
        Assert.Equal(Verdict.Fail, current.Series[0].Verdict);
        var findings = GateComparer.Compare(current, current);
        // ...but the verdict is wrong, and that fails the gate.
        var wrong = Assert.Single(findings, f => f.Kind == GateFindingKind.Wrong);
        Assert.True(wrong.IsRegression);
        Assert.Equal(current.Series[0].Key, wrong.Key);
        Assert.DoesNotContain(findings, f => f.Kind == GateFindingKind.Changed);
    }

    [Fact]
    public void A_FAIL_recorded_in_the_baseline_is_wrong_even_when_the_current_run_passes()
    {
        var baseline = Fixtures.Document(WrongOrder(Verdict.Pass), Fixtures.MonteCarlo(Fixtures.Samples()));
        var current = Fixtures.Document(Fixtures.Exact(), Fixtures.MonteCarlo(Fixtures.Samples()));
        var findings = GateComparer.Compare(baseline, current);
        Assert.Contains(findings, f => f.Kind == GateFindingKind.Wrong && f.Message.Contains("in the baseline"));
        Assert.Contains(findings, f => f.Kind == GateFindingKind.Changed); // and the numbers moved
    }

    [Fact]
    public void Stored_rows_are_re_judged_under_the_current_rule_without_re_measuring()
    {
        // Stored as FAIL by the old two-sided rule (order 3 against a declared 2): the current rule passes it.
        var superconvergent = Fixtures.Exact("heun", 2) with
        {
            Points = [.. new[] { 4, 8, 16, 32 }.Select(n => new LadderPoint(n, 2 * n, Math.Pow(n, -3), 0, 1e-5, null, null, null))],
            Verdict = Verdict.Fail,
        };
        var row = Judging.Rejudge(superconvergent);
        Assert.Equal(Verdict.Pass, row.Verdict);
        Assert.Contains("superconvergent", row.Reason);
        Assert.Equal(3.0, row.Fit.Order!.Value, 9);
    }

    [Fact]
    public void The_gate_counts_only_the_ladders_it_compared()
    {
        var baseline = Fixtures.Document(Fixtures.Exact(), Fixtures.MonteCarlo(Fixtures.Samples()));
        var current = Fixtures.Document(Fixtures.Exact(), Fixtures.Exact("dpm-solver-3", 3));
        Assert.Equal(1, GateComparer.ComparedCount(baseline, current));
    }

    [Fact]
    public void A_registered_sampler_without_a_claim_is_wrong()
    {
        var none = new SamplerInfo("no-claim", "test", IsStochastic: true, StrongOrder: null, WeakOrder: null, EvaluationsPerStep: 1);
        var some = new SamplerInfo("claimed", "test", IsStochastic: true, StrongOrder: null, WeakOrder: 1, EvaluationsPerStep: 1);
        var f = Assert.Single(GateComparer.MissingClaims([none, some]));
        Assert.Equal(GateFindingKind.Wrong, f.Kind);
        Assert.Equal("no-claim", f.Key);
    }

    [Fact]
    public void Every_registered_sampler_declares_a_claim()
    {
        Assert.Empty(GateComparer.MissingClaims(SamplerRegistry.All().Select(s => s.Info)));
    }
}
