using Verified.Numerics;
using Verified.Reports.Experiments;
using Verified.Reports.Subjects;

namespace Verified.Reports.Tests.Subjects;

/// <summary>A user's sampler: explicit Euler on the PF-ODE written outside Numerics, under its own name.</summary>
public sealed class UserEuler : Sampler
{
    private readonly string name;

    public UserEuler() : this("user-euler") { }

    public UserEuler(string name) => this.name = name;

    public override SamplerInfo Info => new(name, "explicit Euler on the PF-ODE", IsStochastic: false,
        StrongOrder: 1, WeakOrder: 1, EvaluationsPerStep: 1);

    protected override void Step(SamplingRun run, int i, double[] x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var drift = new double[x.Length];
        run.View.Velocity(x, t, drift);
        for (int j = 0; j < x.Length; j++) x[j] -= (t - s) * drift[j];
    }
}

public class SamplerCatalogTests
{
    [Fact]
    public void A_name_clash_with_a_built_in_sampler_names_both_origins()
    {
        var clash = SamplerSubject.Of(new UserEuler("heun"), "assembly my.dll");
        var e = Assert.Throws<SamplerNameClashException>(() => SamplerCatalog.BuiltIn.With([clash]));
        Assert.Contains("'heun'", e.Message);
        Assert.Contains("built-in", e.Message);
        Assert.Contains("assembly my.dll", e.Message);
    }

    [Fact]
    public void Names_with_commas_and_parentheses_are_selectable()
    {
        string rk45 = new Rk45().Info.Name;
        Assert.Contains(",", rk45);
        var names = SamplerNames.Parse(["heun," + rk45, "ddim(eta=0.5)"])!;
        Assert.Equal(["heun", rk45, "ddim(eta=0.5)"], names);
        var only = SamplerCatalog.BuiltIn.Only(["heun", rk45]);
        Assert.Equal(["heun", rk45], only.Names);
    }

    [Fact]
    public void An_unknown_name_is_rejected_with_the_valid_names()
    {
        var e = Assert.Throws<ArgumentException>(() => SamplerCatalog.BuiltIn.Only(["no-such"]));
        Assert.Contains("'no-such'", e.Message);
        Assert.Contains("heun", e.Message);
        Assert.NotNull(ReportRunner.Validate(new RunRequest(Preset.Quick, ["user-euler"])));
    }

    [Fact]
    public void A_user_sampler_is_measured_like_the_built_in_one_with_the_same_formula()
    {
        // Independent implementations of one formula (UserEuler here, pf-ode-euler in Numerics) must give the same ladder.
        var catalog = SamplerCatalog.BuiltIn.With([SamplerSubject.Of(() => new UserEuler(), "test")]);
        var doc = ReportRunner.Run(new RunRequest(Preset.Quick, ["user-euler", "pf-ode-euler"], ["gauss-1d"], catalog), threads: 1);
        var mine = doc.Series.Where(s => s.Sampler == "user-euler").ToList();
        var theirs = doc.Series.Where(s => s.Sampler == "pf-ode-euler").ToList();
        Assert.NotEmpty(mine);
        Assert.Equal(theirs.Count, mine.Count);
        foreach (var (a, b) in mine.Zip(theirs))
        {
            Assert.Equal(b.Metric, a.Metric);
            // Velocity and the drift f x - g2 s / 2 are the same field computed in two ways: equal to round-off.
            foreach (var (p, q) in a.Points.Zip(b.Points))
                Assert.True(Math.Abs(p.Error - q.Error) <= 1e-9 * q.Error + 1e-15, $"{a.Key} N={p.N}: {p.Error:R} vs {q.Error:R}");
        }
    }

    [Fact]
    public void A_factory_returning_another_name_is_refused()
    {
        var subject = new SamplerSubject("user-euler", () => new UserEuler("other"), "test");
        Assert.Throws<InvalidOperationException>(() => subject.Instance());
    }
}
