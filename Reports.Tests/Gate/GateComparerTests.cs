using Verified.Reports.Gate;
using Verified.Reports.Model;

namespace Verified.Reports.Tests.Gate;

public class GateComparerTests
{
    private static ReportDocument Base() => Fixtures.Document(Fixtures.Exact(), Fixtures.MonteCarlo(Fixtures.Samples()));

    private static ReportDocument WithSeries(int index, SeriesResult s)
    {
        var doc = Base();
        var list = doc.Series.ToList();
        list[index] = s;
        return doc with { Series = list };
    }

    private static SeriesResult ScalePoint(SeriesResult s, int i, Func<LadderPoint, LadderPoint> change) =>
        s with { Points = s.Points.Select((p, k) => k == i ? change(p) : p).ToList() };

    [Fact]
    public void Identical_runs_have_no_findings()
    {
        Assert.Empty(GateComparer.Compare(Base(), Base()));
    }

    [Fact]
    public void Exact_error_growth_beyond_the_relative_tolerance_is_a_regression()
    {
        var grown = WithSeries(0, ScalePoint(Fixtures.Exact(), 1, p => p with { Error = p.Error * (1 + 1e-4) }));
        var f = Assert.Single(GateComparer.Compare(Base(), grown));
        Assert.True(f.IsRegression);
        Assert.Contains("N=8", f.Message);
    }

    [Fact]
    public void Exact_error_decrease_beyond_the_tolerance_is_flagged_as_a_changed_formula()
    {
        var shrunk = WithSeries(0, ScalePoint(Fixtures.Exact(), 2, p => p with { Error = p.Error * 0.5 }));
        var f = Assert.Single(GateComparer.Compare(Base(), shrunk));
        Assert.True(f.IsRegression);
        Assert.Contains("exact output changed", f.Message);
    }

    [Fact]
    public void Exact_error_changes_within_the_tolerance_pass()
    {
        var jitter = WithSeries(0, ScalePoint(Fixtures.Exact(), 1, p => p with { Error = p.Error * (1 + 1e-9) }));
        Assert.Empty(GateComparer.Compare(Base(), jitter));
    }

    [Fact]
    public void NFE_change_is_a_regression()
    {
        var more = WithSeries(0, ScalePoint(Fixtures.Exact(), 0, p => p with { Nfe = p.Nfe + 1 }));
        Assert.Contains(GateComparer.Compare(Base(), more), f => f.IsRegression && f.Message.Contains("NFE changed 8 -> 9"));
    }

    [Fact]
    public void Disappearing_sampler_is_a_regression()
    {
        var doc = Base();
        var fewer = doc with { Series = doc.Series.Skip(1).ToList() };
        var f = Assert.Single(GateComparer.Compare(doc, fewer));
        Assert.True(f.IsRegression);
        Assert.Contains("disappeared", f.Message);
    }

    [Fact]
    public void Order_drop_beyond_tolerance_is_a_regression()
    {
        var s = Fixtures.Exact();
        var dropped = WithSeries(0, s with { Fit = s.Fit with { Order = 1.85 } });
        Assert.Contains(GateComparer.Compare(Base(), dropped), f => f.IsRegression && f.Message.Contains("fitted order 2.00 -> 1.85"));
    }

    [Fact]
    public void Significant_Monte_Carlo_growth_on_identical_seeds_is_a_regression()
    {
        var grown = WithSeries(1, Fixtures.MonteCarlo(Fixtures.Samples(shift: 0.02)));
        Assert.Contains(GateComparer.Compare(Base(), grown), f => f.IsRegression && f.Message.Contains("paired growth"));
    }

    [Fact]
    public void Monte_Carlo_change_that_is_not_significant_passes()
    {
        // Per-sample changes of +-0.03 that average to zero: no growth.
        var noisy = Fixtures.Samples().Select(s => s.Select((v, i) => v + (i % 2 == 0 ? 0.03 : -0.03)).ToArray()).ToArray();
        Assert.DoesNotContain(GateComparer.Compare(Base(), WithSeries(1, Fixtures.MonteCarlo(noisy))), f => f.IsRegression);
    }

    [Fact]
    public void New_series_is_a_note_not_a_regression()
    {
        var doc = Base();
        var more = doc with { Series = [.. doc.Series, Fixtures.Exact("dpm-solver-3", 3)] };
        var f = Assert.Single(GateComparer.Compare(doc, more));
        Assert.False(f.IsRegression);
    }

    [Fact]
    public void Different_settings_are_reported_as_a_mismatch()
    {
        var doc = Base();
        Assert.Null(GateComparer.SettingsMismatch(doc, doc));
        Assert.NotNull(GateComparer.SettingsMismatch(doc, doc with { Settings = doc.Settings with { MonteCarloSamples = 7 } }));
        Assert.NotNull(GateComparer.SettingsMismatch(doc, doc with { Preset = "default" }));
    }
}
