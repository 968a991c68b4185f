using Verified.Reports.Analysis;
using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>A sampler of the Runge–Kutta family is a tableau over a term (<see cref="RungeKuttaSampler"/>): one written
/// here from the midpoint tableau declares the tableau's order and stage count and converges at that order against the
/// closed-form flow map (CM.1); the same sampler with the weights of a first-order method is judged short of order 2, so
/// the check can fail. The shipped Euler/Heun samplers are held to k-diffusion's numbers by the gate's baseline.</summary>
public class RungeKuttaSamplerTests
{
    private static readonly ButcherTableau MidpointTableau = new("midpoint", [0, 0.5], [[], [0.5]], [0, 1], null, order: 2);

    // Consistent (weights sum to 1) but first order: the midpoint stage is evaluated and then ignored.
    private static readonly ButcherTableau WastedStageTableau = new("wasted-stage", [0, 0.5], [[], [0.5]], [1, 0], null, order: 2);

    private sealed class Midpoint(ButcherTableau tableau) : RungeKuttaSampler("test-midpoint", "test", tableau, OdeTerm.ProbabilityFlow);

    private static Verdict Judge(Sampler sampler)
    {
        var schedule = Schedules.VpLinear();
        var data = Fixtures.Gaussian2D();
        var model = Fixtures.Oracle(data, schedule);
        double tStart = 1.0, tEnd = 1e-2;
        double[] start = [0.7, -0.4];
        var target = new GaussianFlow(data, schedule).FlowMap(start, tStart, tEnd);
        List<ErrorPoint> Ladder(IReadOnlyList<int> steps) => steps.Select(n =>
        {
            var output = sampler.Sample(model, start, TimeGrids.UniformLambda(schedule, n, tStart, tEnd), ZeroNoise.Instance).State;
            return new ErrorPoint(n, Math.Sqrt(output.Zip(target, (a, b) => (a - b) * (a - b)).Sum()));
        }).ToList();
        return OrderClaim.JudgeExtending(Tier.Exact, sampler.Info.StrongOrder!.Value, [32, 64, 128], Ladder, l => l, roundOffFloor: 1e-12)
            .Judgement.Verdict;
    }

    [Fact]
    public void A_tableau_over_a_term_is_a_sampler_of_the_tableau_order()
    {
        var midpoint = new Midpoint(MidpointTableau);
        Assert.Equal(2.0, midpoint.Info.StrongOrder);
        Assert.Equal(2.0, midpoint.Info.EvaluationsPerStep);
        Assert.Equal(Verdict.Pass, Judge(midpoint));
        Assert.NotEqual(Verdict.Pass, Judge(new Midpoint(WastedStageTableau)));
    }

    [Fact]
    public void An_adaptive_integrator_refuses_a_tableau_without_an_embedded_solution()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            AdaptiveRungeKutta.Integrate(ButcherTableau.Heun, (t, y, output) => y.CopyTo(output), new double[1], 0, 1, 1e-6, 1e-6));
        Assert.Equal("tableau", ex.ParamName);
    }

    /// <summary>Schedule.At is the fast path of a model-view conversion: one domain check, then the four coefficients,
    /// which must be the checked members' values bit for bit on every family.</summary>
    [Fact]
    public void Schedule_coefficients_in_one_call_equal_the_checked_members()
    {
        Schedule[] schedules = [Schedules.VpLinear(), Schedules.VpCosine(), Schedules.SubVp(), Schedules.Ve(), Schedules.Edm(),
            Schedules.LinearInterpolant(), Schedules.Follmer()];
        foreach (var s in schedules)
            foreach (double u in new[] { 0.01, 0.3, 0.77 })
            {
                double t = s.TMin + u * (s.TMax - s.TMin);
                var c = s.At(t);
                Assert.True(c.Alpha.Equals(s.Alpha(t)) && c.Sigma.Equals(s.Sigma(t)) && c.Drift.Equals(s.Drift(t)) && c.G2.Equals(s.G2(t)),
                    $"{s.Name} at t = {t}: At gives ({c.Alpha:R}, {c.Sigma:R}, {c.Drift:R}, {c.G2:R}), the members ({s.Alpha(t):R}, {s.Sigma(t):R}, {s.Drift(t):R}, {s.G2(t):R})");
            }
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.VpLinear().At(1.5));
        Assert.Equal("t", ex.ParamName);
    }
}
