using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// Everything one sampling run shares between its steps: the model view (with its NFE count), the grid,
/// the noise source, the batch shape (n points of dimension d), scratch batches and, for multistep methods,
/// the history of earlier predictions.
/// </summary>
public sealed class SamplingRun
{
    private readonly double[][] scratch;

    internal SamplingRun(ModelView view, TimeGrid grid, INoiseSource noise, int count)
    {
        View = view;
        Grid = grid;
        Noise = noise;
        Dimension = view.Model.Dimension;
        Count = count;
        scratch = new double[6][];
        for (int k = 0; k < scratch.Length; k++) scratch[k] = new double[count * Dimension];
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

    /// <summary>Scratch batch number <paramref name="slot"/> (0..5, length n d), reused across steps: no allocation per step.</summary>
    public double[] Scratch(int slot) => scratch[slot];

    /// <summary>For multistep methods: the previous step's time and model prediction for the whole batch (null before
    /// the first step).</summary>
    public (double Time, double[] Prediction)? Previous { get; set; }
}
