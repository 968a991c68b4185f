namespace Verified.Numerics;

/// <summary>
/// Reference solutions for error studies on data without closed-form flows (mixtures): the PF-ODE by tight-tolerance
/// RK45, and an SDE sampler on the finest grid of a Brownian path (its coarse runs see the same path).
/// </summary>
public static class References
{
    /// <summary>
    /// The PF-ODE dx/dt = f x - (1/2) g2 s(x, t) from x(tStart) = start to tEnd (either direction) by adaptive
    /// Dormand–Prince 5(4) (<see cref="AdaptiveRungeKutta"/>).
    /// </summary>
    /// <remarks>Accuracy: the controller keeps each step's local error below atol + rtol |x|; on the Gaussian test problems
    /// (VP-linear, T = 1 to t_min = 1e-3, the stiffest end) the global error against the closed-form flow map is about
    /// 1e-10 relative at the defaults (the test <c>Pf_ode_reference_matches_the_closed_form_flow_map</c> bounds it by
    /// 1e-8), far below any sampler error it is used to measure.</remarks>
    /// <param name="model">any model; read as a velocity.</param>
    /// <param name="start">x(tStart): a batch of n &gt;= 1 points of dimension d (length n d, row-major), finite. Each
    /// point is integrated on its own (the step control is per point), so a batch gives the same result as n single
    /// calls.</param>
    /// <param name="tStart">start time in the schedule's domain.</param>
    /// <param name="tEnd">end time in the schedule's domain.</param>
    /// <param name="rtol">relative tolerance, finite and &gt; 0.</param>
    /// <param name="atol">absolute tolerance, finite and &gt; 0.</param>
    public static double[] PfOde(IDiffusionModel model, double[] start, double tStart, double tEnd, double rtol = 1e-10, double atol = 1e-12)
    {
        Check.NotNull(model, nameof(model));
        Check.NotNull(start, nameof(start));
        int d = model.Dimension;
        int n = Check.Batch(start.Length, d, nameof(start));
        Check.AllFiniteBatch(start, d, nameof(start));
        model.Schedule.CheckTime(nameof(tStart), tStart);
        model.Schedule.CheckTime(nameof(tEnd), tEnd);
        var view = new ModelView(model);
        var x = (double[])start.Clone();
        for (int p = 0; p < n; p++)
            AdaptiveRungeKutta.Integrate(ButcherTableau.DormandPrince, (t, y, output) => view.Velocity(y, t, output), x.AsSpan(p * d, d), tStart, tEnd, rtol, atol);
        return x;
    }

    /// <summary>The sampler run on the finest grid of <paramref name="path"/>, driven by the path itself: the reference
    /// for strong errors of the same sampler on <c>path.Coarsen(n)</c> grids with <c>path.AsNoise()</c>. For a batch of
    /// n starts (length n d) the path has dimension n d (n independent paths, see <see cref="BrownianPath"/>).</summary>
    public static double[] OnPath(Sampler sampler, IDiffusionModel model, double[] start, BrownianPath path)
    {
        Check.NotNull(sampler, nameof(sampler));
        Check.NotNull(path, nameof(path));
        Check.NotNull(model, nameof(model));
        Check.NotNull(start, nameof(start));
        Check.Batch(start.Length, model.Dimension, nameof(start));
        if (path.Dimension != start.Length)
            throw new ArgumentException($"path must have dimension {start.Length} (n d for the batch of starts), got {path.Dimension}", nameof(path));
        return sampler.Sample(model, start, path.Fine, path.AsNoise()).State;
    }
}
