using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>The Dormand–Prince integrator, the RK45 sampler and the PF-ODE reference against closed forms.</summary>
public class RungeKuttaTests
{
    private static readonly Schedule Vp = Schedules.VpLinear();
    private static readonly GaussianMixture Data = Fixtures.Gaussian2D();

    [Theory]
    [InlineData(0.0, 2.0)]
    [InlineData(2.0, -1.0)]
    public void Integrator_solves_a_linear_test_equation_in_either_direction(double t0, double t1)
    {
        // y' = -2 t y has y(t1) = y(t0) exp(t0^2 - t1^2).
        double[] y = [1.5];
        AdaptiveRungeKutta.Integrate(ButcherTableau.DormandPrince, (t, v, o) => o[0] = -2 * t * v[0], y, t0, t1, 1e-10, 1e-12);
        double exact = 1.5 * Math.Exp(t0 * t0 - t1 * t1);
        Assert.True(Math.Abs(y[0] - exact) < 1e-8 * Math.Abs(exact), $"{y[0]} vs {exact}");
    }

    [Fact]
    public void Inconsistent_tableau_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ButcherTableau("broken", [0, 0.5], [[], [0.4]], [0.5, 0.5], [1, 0], 2, 1));
        Assert.Contains("row 1", ex.Message);
        Assert.Throws<ArgumentException>(() => new ButcherTableau("broken", [0, 0.5], [[], [0.5]], [0.5, 0.6], [1, 0], 2, 1));
    }

    [Fact]
    public void Pf_ode_reference_matches_the_closed_form_flow_map()
    {
        var model = Fixtures.Oracle(Data, Vp);
        double[] start = [0.7, -0.4];
        foreach (var tEnd in new[] { 1e-2, 1e-3 })
        {
            var reference = References.PfOde(model, start, 1.0, tEnd);
            var exact = new GaussianFlow(Data, Vp).FlowMap(start, 1.0, tEnd);
            Assert.True(Fixtures.MaxAbsDifference(reference, exact) < 1e-8, $"tEnd = {tEnd}: {string.Join(",", reference)} vs {string.Join(",", exact)}");
        }
    }

    [Fact]
    public void Rk45_error_tracks_its_tolerance_and_costs_more_evaluations_as_it_tightens()
    {
        var model = Fixtures.Oracle(Data, Vp);
        double[] start = [0.7, -0.4];
        var exact = new GaussianFlow(Data, Vp).FlowMap(start, 1.0, 1e-3);
        int previousEvaluations = 0;
        foreach (var tol in new[] { 1e-3, 1e-5, 1e-7, 1e-9 })
        {
            var result = new Rk45(tol, tol).Sample(model, start, new TimeGrid([1.0, 1e-3]), ZeroNoise.Instance);
            double error = Fixtures.MaxAbsDifference(result.State, exact);
            Assert.True(error < 10 * tol, $"tol {tol}: error {error:E2}");
            Assert.True(result.Evaluations > previousEvaluations, $"tol {tol}: {result.Evaluations} evaluations, not more than {previousEvaluations}");
            previousEvaluations = result.Evaluations;
        }
    }

    [Fact]
    public void On_path_reference_is_the_sampler_on_the_finest_grid_of_the_path()
    {
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), Vp);
        var path = new BrownianPath(TimeGrids.UniformTime(Vp, 64, 1.0, 1e-3), 2, seed: 4);
        double[] start = [0.2, 0.1];
        var reference = References.OnPath(new ReverseSdeEulerMaruyama(), model, start, path);
        // The same run through the 1-step coarsening of a 64-step path: coarse = fine when the strides are 1.
        var direct = new ReverseSdeEulerMaruyama().Sample(model, start, path.Coarsen(64), path.AsNoise()).State;
        Assert.True(reference.SequenceEqual(direct));
        // and a coarse run on the same path lands near it (strong order 1: the error shrinks with the stride).
        double coarse8 = Fixtures.MaxAbsDifference(new ReverseSdeEulerMaruyama().Sample(model, start, path.Coarsen(8), path.AsNoise()).State, reference);
        double coarse32 = Fixtures.MaxAbsDifference(new ReverseSdeEulerMaruyama().Sample(model, start, path.Coarsen(32), path.AsNoise()).State, reference);
        Assert.True(coarse32 < coarse8, $"strong error at 32 steps {coarse32:E2} not below 8 steps {coarse8:E2}");
    }
}
