namespace Verified.Numerics;

/// <summary>
/// Adaptive Dormand–Prince RK45 on the PF-ODE dx/dt = f x - (1/2) g2 s(x, t) (S5.4): each grid step is one
/// adaptively integrated interval, so a grid of two points is one solve from T to t_min; the result's Evaluations is
/// the NFE the tolerances required.
/// </summary>
/// <remarks>The error is controlled by rtol/atol, not by the grid: the declared strong order 5 is the order of the
/// propagated solution per accepted step (the tableau's Order), the measured claim is error proportional to tolerance
/// (<see cref="ToleranceOrder"/>), and EvaluationsPerStep is null (adaptive). Its evaluation times depend on the
/// state, so it is not a fixed affine map and <see cref="OutputLaw"/> rejects it.</remarks>
public sealed class Rk45 : Sampler, IAdaptiveSampler
{
    private readonly double rtol, atol;

    /// <summary>RK45 with the given tolerances.</summary>
    /// <param name="rtol">relative tolerance, finite and &gt; 0 (default 1e-5).</param>
    /// <param name="atol">absolute tolerance, finite and &gt; 0 (default 1e-5).</param>
    public Rk45(double rtol = 1e-5, double atol = 1e-5)
    {
        Check.Positive(rtol, nameof(rtol));
        Check.Positive(atol, nameof(atol));
        this.rtol = rtol;
        this.atol = atol;
        Info = new(FormattableString.Invariant($"rk45(rtol={rtol:R},atol={atol:R})"), "S5.4 (Dormand–Prince 5(4))", IsStochastic: false,
            StrongOrder: 5, WeakOrder: null, EvaluationsPerStep: null, IsAffine: false);
    }

    /// <inheritdoc/>
    public override SamplerInfo Info { get; }

    /// <inheritdoc/>
    public Sampler WithTolerance(double rtol, double atol) => new Rk45(rtol, atol);

    /// <summary>1: the controller of <see cref="AdaptiveRungeKutta"/> keeps the error proportional to the tolerance.</summary>
    public double ToleranceOrder => 1.0;

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x) =>
        AdaptiveRungeKutta.Integrate(ButcherTableau.DormandPrince, (t, y, output) => run.View.Velocity(y, t, output), x, run.Grid[i], run.Grid[i + 1], rtol, atol);

    /// <summary>Step control is per point: each point of the batch is integrated on its own (with its own accepted
    /// steps, exactly as a batch of one), and Evaluations reports the largest per-point NFE.</summary>
    protected override void Integrate(SamplingRun run, double[] x, StepCallback? callback)
    {
        if (run.Count == 1) { base.Integrate(run, x, callback); return; }
        int d = run.Dimension, most = 0;
        var point = new double[d];
        var grid = run.Grid;
        var views = new ModelView[run.Count];
        for (int p = 0; p < run.Count; p++) views[p] = new ModelView(run.View.Model);
        for (int i = 0; i < grid.Steps; i++)
        {
            for (int p = 0; p < run.Count; p++)
            {
                var view = views[p];
                x.AsSpan(p * d, d).CopyTo(point);
                AdaptiveRungeKutta.Integrate(ButcherTableau.DormandPrince, (t, y, output) => view.Velocity(y, t, output), point, grid[i], grid[i + 1], rtol, atol);
                point.CopyTo(x, p * d);
            }
            CheckFinite(run, i, x);
            callback?.Invoke(i, grid[i + 1], x);
        }
        foreach (var view in views) most = Math.Max(most, view.Evaluations);
        run.View.Evaluations = most;
    }
}
