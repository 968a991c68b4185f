using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// Everything one sampling run shares between its steps: the model view (with its NFE count), the grid,
/// the noise source, the batch shape (n points of dimension d), each sampler's own named work buffers
/// (<see cref="State{TState}"/>) and, for multistep methods, the history of earlier predictions.
/// </summary>
public sealed class SamplingRun
{
    private readonly Dictionary<Type, object> states = [];

    internal SamplingRun(ModelView view, TimeGrid grid, INoiseSource noise, int count)
    {
        View = view;
        Grid = grid;
        Noise = noise;
        Dimension = view.Model.Dimension;
        Count = count;
    }

    /// <summary>The model, read in any parameterisation.</summary>
    public ModelView View { get; }

    /// <summary>The model's schedule.</summary>
    public Schedule Schedule => View.Schedule;

    /// <summary>The time grid.</summary>
    public TimeGrid Grid { get; }

    /// <summary>The noise source.</summary>
    public INoiseSource Noise { get; }

    /// <summary>d, the dimension of one point.</summary>
    public int Dimension { get; }

    /// <summary>n, the number of points in the batch (the state has length n d).</summary>
    public int Count { get; }

    /// <summary>The sampler's per-run state of type <typeparamref name="TState"/> (its named work buffers), made by
    /// <paramref name="create"/>(n d, <paramref name="argument"/>) on the first call of the run and the same object on
    /// every later call: no allocation per step, and no buffer shared by accident between two uses.</summary>
    public TState State<TState, TArgument>(Func<int, TArgument, TState> create, TArgument argument) where TState : class
    {
        ArgumentNullException.ThrowIfNull(create);
        if (states.TryGetValue(typeof(TState), out var existing)) return (TState)existing;
        var made = create(Count * Dimension, argument) ?? throw new InvalidOperationException($"the state factory for {typeof(TState).Name} returned null");
        states.Add(typeof(TState), made);
        return made;
    }

    /// <summary><see cref="State{TState, TArgument}"/> for a state made from the batch length n d alone.</summary>
    public TState State<TState>(Func<int, TState> create) where TState : class
    {
        ArgumentNullException.ThrowIfNull(create);
        return State(static (length, make) => make(length), create);
    }

    /// <summary>For multistep methods: the previous step's time and model prediction for the whole batch (null before
    /// the first step).</summary>
    public (double Time, double[] Prediction)? Previous { get; set; }
}
