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

    /// <summary>Runs the sampler from <paramref name="start"/> at grid[0] to grid[^1].</summary>
    /// <exception cref="ArgumentException">dimension mismatch, non-finite start, grid outside the schedule's domain,
    /// or a schedule the formula does not support.</exception>
    /// <exception cref="InvalidOperationException">a step produced a non-finite state (never returned silently).</exception>
    public SamplingResult Sample(IDiffusionModel model, ReadOnlySpan<double> start, TimeGrid grid, INoiseSource noise, StepCallback? callback = null)
    {
        Check.NotNull(model, nameof(model));
        Check.NotNull(grid, nameof(grid));
        Check.NotNull(noise, nameof(noise));
        Check.Dimension(start.Length, model.Dimension, nameof(start));
        Check.AllFinite(start, nameof(start));
        grid.CheckInside(model.Schedule, nameof(grid));
        CheckSchedule(model);
        var view = new ModelView(model);
        var run = new SamplingRun(view, grid, noise);
        var x = start.ToArray();
        Integrate(run, x, callback);
        return new SamplingResult(x, view.Evaluations);
    }

    /// <summary>The whole run from run.Grid[0] to run.Grid[^1], updating x in place. The default calls
    /// <see cref="Step"/> for each grid interval, refuses a non-finite state and calls the callback; a sampler that
    /// runs elsewhere (another process, a tensor device) overrides it and must still read the model through
    /// run.View (so NFE is counted) and draw every random number from run.Noise.</summary>
    /// <exception cref="InvalidOperationException">a step produced a non-finite state.</exception>
    protected virtual void Integrate(SamplingRun run, double[] x, StepCallback? callback)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(x);
        var grid = run.Grid;
        for (int i = 0; i < grid.Steps; i++)
        {
            Step(run, i, x);
            for (int j = 0; j < x.Length; j++)
                if (!double.IsFinite(x[j]))
                    throw new InvalidOperationException(
                        $"{Info.Name} produced a non-finite state (x[{j}] = {x[j]}) at step {i}, t = {grid[i]} -> {grid[i + 1]}");
            callback?.Invoke(i, grid[i + 1], x);
        }
    }

    /// <summary>One step from run.Grid[i] to run.Grid[i + 1], updating x in place.</summary>
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
