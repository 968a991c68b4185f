using Verified.Reports.Analysis;
using Verified.Numerics;
using Verified.Reports.Experiments;
using Verified.Reports.Tests.Subjects;

namespace Verified.Reports.Tests.Api;

public class OrderAssertTests
{
    /// <summary>Euler under a false claim of order 2 (its true order is 1).</summary>
    private sealed class OverclaimingEuler : Sampler
    {
        public override SamplerInfo Info { get; } = new("overclaiming-euler", "Euler claiming order 2", IsStochastic: false,
            StrongOrder: 2, WeakOrder: 2, EvaluationsPerStep: 1);

        protected override void Step(SamplingRun run, int i, double[] x)
        {
            double t = run.Grid[i], s = run.Grid[i + 1];
            var drift = new double[x.Length];
            run.View.Velocity(x, t, drift);
            for (int j = 0; j < x.Length; j++) x[j] -= (t - s) * drift[j];
        }
    }

    [Fact]
    public void A_sampler_meeting_its_declared_order_passes()
    {
        var doc = OrderAssert.MeetsDeclaredOrders(new UserEuler(), problems: ["gauss-1d"]);
        Assert.NotEmpty(doc.Series);
        Assert.All(doc.Series, s => Assert.Equal("user-euler", s.Sampler));
    }

    [Fact]
    public void A_false_order_claim_throws_with_the_failing_rows()
    {
        var e = Assert.Throws<DeclaredOrderException>(() => OrderAssert.MeetsDeclaredOrders(new OverclaimingEuler(), problems: ["gauss-1d"]));
        Assert.NotEmpty(e.Failing);
        Assert.All(e.Failing, s => Assert.Equal("FAIL", s.Verdict));
        Assert.All(e.Failing, s => Assert.InRange(s.Fit.Order!.Value, 0.7, 1.3));
        Assert.Contains("| overclaiming-euler | gauss-1d |", e.Message);
        Assert.Contains("FAIL", e.Message);
    }

    [Fact]
    public void Ladders_refuses_a_schedule_the_sampler_does_not_apply_to()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Verify.Ladders(new UserEuler(), Problems.Find("gauss-1d")!, ScheduleCases.Find("follmer")!, Preset.Quick));
        Assert.Contains("follmer", e.Message);
    }

    [Fact]
    public void An_adaptive_sampler_is_measured_against_tolerance_through_IAdaptiveSampler()
    {
        var series = Verify.Ladders(new Rk45(), Problems.Find("gauss-1d")!, ScheduleCases.Find("vp-linear")!, Preset.Quick);
        var only = Assert.Single(series);
        Assert.Equal(Metric.StrongFlowMapTolerance, only.Metric);
        // N = 1/tol for tol = 1e-3 .. 1e-9, and the samplers built through WithTolerance really ran at those tolerances:
        // a tighter tolerance costs more evaluations.
        Assert.Equal([1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000], only.Points.Select(p => p.N));
        Assert.True(only.Points.Zip(only.Points.Skip(1)).All(q => q.Second.Nfe > q.First.Nfe), string.Join(", ", only.Points.Select(p => p.Nfe)));
    }
}
