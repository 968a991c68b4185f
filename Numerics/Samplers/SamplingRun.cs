using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// Everything one sampling run shares between its steps: the model view (with its NFE count), the grid,
/// the noise source, scratch vectors and, for multistep methods, the history of earlier predictions.
/// </summary>
public sealed class SamplingRun
{
    private readonly double[][] scratch;

    internal SamplingRun(ModelView view, TimeGrid grid, INoiseSource noise)
    {
        View = view;
        Grid = grid;
        Noise = noise;
        Dimension = view.Model.Dimension;
        scratch = new double[6][];
        for (int k = 0; k < scratch.Length; k++) scratch[k] = new double[Dimension];
    }

    /// <summary>The model, read in any parameterisation.</summary>
    public ModelView View { get; }

    /// <summary>The model's schedule.</summary>
    public Schedule Schedule => View.Schedule;

    /// <summary>The time grid.</summary>
    public TimeGrid Grid { get; }

    /// <summary>The noise source.</summary>
    public INoiseSource Noise { get; }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>Scratch vector number <paramref name="slot"/> (0..5), reused across steps: no allocation per step.</summary>
    public double[] Scratch(int slot) => scratch[slot];

    /// <summary>For multistep methods: the previous step's time and model prediction (null before the first step).</summary>
    public (double Time, double[] Prediction)? Previous { get; set; }
}
