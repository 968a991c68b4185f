namespace Verified.Numerics;

/// <summary>
/// The one sampler contract (k-diffusion style): every sampler takes a model, a start state, a decreasing
/// time grid, a noise source and an optional callback, and declares its promise in <see cref="Info"/>.
/// Subclasses implement one step; validation, the step loop, NaN checks and callbacks live here once.
/// </summary>
public abstract class Sampler
{
    /// <summary>Name, equation and declared orders.</summary>
    public abstract SamplerInfo Info { get; }

    /// <summary>Runs the sampler on a batch of n &gt;= 1 start points at grid[0] down to grid[^1].</summary>
    /// <param name="model">the model; read in whatever parameterisation the formula needs.</param>
    /// <param name="start">n points of dimension d = model.Dimension, row-major (point i occupies [i d, (i + 1) d));
    /// a single point is a batch of one.</param>
    /// <param name="grid">decreasing forward times inside the schedule's domain.</param>
    /// <param name="noise">every random number comes from here: one Fill of length n d per draw, for the whole batch.</param>
    /// <param name="callback">called after each step with the whole batch.</param>
    /// <returns>the n d batch of final states and the number of batched model calls (NFE per point).</returns>
    /// <exception cref="ArgumentException">a start length that is not a positive multiple of d, a non-finite start,
    /// a grid outside the schedule's domain, or a schedule the formula does not support.</exception>
    /// <exception cref="InvalidOperationException">a step produced a non-finite state (never returned silently).</exception>
    public SamplingResult Sample(IDiffusionModel model, ReadOnlySpan<double> start, TimeGrid grid, INoiseSource noise, StepCallback? callback = null)
    {
        Check.NotNull(model, nameof(model));
        Check.NotNull(grid, nameof(grid));
        Check.NotNull(noise, nameof(noise));
        int count = Check.Batch(start.Length, model.Dimension, nameof(start));
        Check.AllFiniteBatch(start, model.Dimension, nameof(start));
        grid.CheckInside(model.Schedule, nameof(grid));
        CheckSchedule(model);
        var view = new ModelView(model);
        var run = new SamplingRun(view, grid, noise, count);
        var x = start.ToArray();
        Integrate(run, x, callback);
        return new SamplingResult(x, view.Evaluations);
    }

    /// <summary>The whole run on the batch x (n d, updated in place): by default <see cref="Step"/> for each grid
    /// interval, a finiteness check naming the point and coordinate, then the callback. A sampler whose steps are
    /// per point (adaptive step control) or that runs elsewhere (another process, a tensor device) overrides it.</summary>
    protected virtual void Integrate(SamplingRun run, double[] x, StepCallback? callback)
    {
        var grid = run.Grid;
        for (int i = 0; i < grid.Steps; i++)
        {
            Step(run, i, x);
            CheckFinite(run, i, x);
            callback?.Invoke(i, grid[i + 1], x);
        }
    }

    /// <summary>Throws when the batch holds a non-finite entry after step i, naming the point and coordinate.</summary>
    protected void CheckFinite(SamplingRun run, int i, double[] x)
    {
        Check.NotNull(run, nameof(run));
        Check.NotNull(x, nameof(x));
        int d = run.Dimension;
        for (int j = 0; j < x.Length; j++)
            if (!double.IsFinite(x[j]))
                throw new InvalidOperationException(
                    $"{Info.Name} produced a non-finite state (point {j / d}, coordinate {j % d}: x[{j}] = {x[j]}) at step {i}, t = {run.Grid[i]} -> {run.Grid[i + 1]}");
    }

    /// <summary>One step from run.Grid[i] to run.Grid[i + 1], updating the batch x (n d) in place. Elementwise formulas
    /// with scalar coefficients need nothing special; per-point quantities (norms, step sizes) are computed per point.</summary>
    protected abstract void Step(SamplingRun run, int i, double[] x);

    private void CheckSchedule(IDiffusionModel model)
    {
        var s = model.Schedule;
        switch (Info.Requires)
        {
            case ScheduleRequirement.VariancePreserving when !s.IsVariancePreserving:
                throw new ArgumentException($"{Info.Name} needs a variance-preserving schedule, got {s.Name}", nameof(model));
            case ScheduleRequirement.Follmer when s.Family != Theory.ScheduleFamily.Follmer:
                throw new ArgumentException($"{Info.Name} needs the Föllmer schedule, got {s.Name}", nameof(model));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Info.Name;
}
