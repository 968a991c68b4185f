using TorchSharp;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// A batched sampler over tensors x [n, d] with the contract of Numerics' <see cref="Sampler"/>: a model, a start
/// batch, a decreasing grid and a noise source. Each subclass is one step formula; the loop, the dispose scope per
/// step, no_grad and the finiteness check live here once. Every row follows the same formula as the Numerics sampler
/// of the same name, so given the same start and noise the outputs agree to round-off.
/// </summary>
public abstract class TensorSampler
{
    /// <summary>The name of the Numerics sampler this one reproduces.</summary>
    public abstract string Name { get; }

    /// <summary>Schedules the formula is valid for.</summary>
    public virtual ScheduleRequirement Requires => ScheduleRequirement.Any;

    /// <summary>What this sampler promises (equation, stochastic, orders, NFE/step), read when it is measured through
    /// <see cref="TensorSamplerAdapter"/>. Null (the default) means "the declaration of the Numerics sampler named
    /// <see cref="Name"/>"; a sampler without a Numerics twin (a user's own) returns its own declaration.</summary>
    public virtual SamplerInfo? Declaration => null;

    /// <summary>Runs from <paramref name="start"/> at grid[0] to grid[^1]; returns a new tensor (the caller owns it;
    /// <paramref name="start"/> is not modified or disposed).</summary>
    /// <exception cref="ArgumentException">shape, dtype or device mismatch, non-finite start, grid outside the domain, or an unsupported schedule.</exception>
    /// <exception cref="InvalidOperationException">a step produced a non-finite state.</exception>
    public TensorSamplingResult Sample(ITensorModel model, Tensor start, TimeGrid grid, ITensorNoise noise)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(noise);
        TensorChecks.Batch(start, model.Dimension, start.dtype, start.device, nameof(start));
        TensorChecks.FloatingType(start.dtype, nameof(start));
        TensorChecks.Finite(start, nameof(start));
        grid.CheckInside(model.Schedule, nameof(grid));
        if (Requires == ScheduleRequirement.VariancePreserving && !model.Schedule.IsVariancePreserving)
            throw new ArgumentException($"{Name} needs a variance-preserving schedule, got {model.Schedule.Name}", nameof(model));
        using var noGrad = no_grad();
        var run = new TensorSamplingRun(new TensorModelView(model), grid, noise);
        var x = start;
        try
        {
            for (int i = 0; i < grid.Steps; i++)
            {
                using var scope = NewDisposeScope();
                var next = Step(run, i, x);
                if (!next.isfinite().all().item<bool>())
                    throw new InvalidOperationException($"{Name} produced a non-finite state at step {i}, t = {grid[i]} -> {grid[i + 1]}");
                next.MoveToOuterDisposeScope();
                if (!ReferenceEquals(x, start)) x.Dispose();
                x = next;
            }
        }
        catch
        {
            if (!ReferenceEquals(x, start)) x.Dispose();
            throw;
        }
        finally
        {
            run.Dispose();
        }
        return new TensorSamplingResult(ReferenceEquals(x, start) ? start.clone() : x, run.View.Evaluations);
    }

    /// <summary>One step from run.Grid[i] to run.Grid[i + 1]: returns the new state (inside the caller's step scope).</summary>
    protected abstract Tensor Step(TensorSamplingRun run, int i, Tensor x);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The output of a tensor sampling run.</summary>
/// <param name="State">Final states [n, d] (owned by the caller).</param>
/// <param name="Evaluations">Batched model evaluations (NFE).</param>
public sealed record TensorSamplingResult(Tensor State, int Evaluations);

/// <summary>What one tensor sampling run shares between steps: the model view, the grid, the noise, and for
/// multistep methods the previous prediction, kept outside every step scope and freed at the end of the run.</summary>
public sealed class TensorSamplingRun : IDisposable
{
    private Tensor? previous;

    internal TensorSamplingRun(TensorModelView view, TimeGrid grid, ITensorNoise noise)
    {
        View = view;
        Grid = grid;
        Noise = noise;
    }

    /// <summary>The model, in any parameterisation.</summary>
    public TensorModelView View { get; }

    /// <summary>The model's schedule.</summary>
    public Theory.Schedule Schedule => View.Schedule;

    /// <summary>The grid.</summary>
    public TimeGrid Grid { get; }

    /// <summary>The noise source.</summary>
    public ITensorNoise Noise { get; }

    /// <summary>The previous step's time and prediction (multistep methods), or null before the first step.</summary>
    public (double Time, Tensor Prediction)? Previous => previous is null ? null : (PreviousTime, previous);

    private double PreviousTime { get; set; }

    /// <summary>Keeps <paramref name="prediction"/> (detached from the step's scope) for the next step; frees the one before.</summary>
    public void SetPrevious(double time, Tensor prediction)
    {
        previous?.Dispose();
        previous = prediction.DetachFromDisposeScope();
        PreviousTime = time;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        previous?.Dispose();
        previous = null;
    }
}
