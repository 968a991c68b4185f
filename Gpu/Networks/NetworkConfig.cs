using Verified.Theory;

namespace Verified.Gpu;

/// <summary>What a denoiser network's output means (THEORY section 4, [133]-[134] and C8.3).</summary>
public enum NetworkTarget
{
    /// <summary>eps-prediction, trained on eps (DSM, C4.4/C7.5); optimum eps* = E[eps | x_t].</summary>
    Noise,
    /// <summary>x0-prediction, trained on x0; optimum E[x0 | x_t].</summary>
    Data,
    /// <summary>v-prediction v = alpha eps - sigma x0, trained on v; optimum alpha eps* - sigma E[x0|x_t].</summary>
    VPrediction,
    /// <summary>Forward PF-ODE velocity, trained by conditional flow matching on alpha'(t) x0 + sigma'(t) eps (C8.3);
    /// optimum the marginal velocity v_t(x) = -u_{T - t}(x) (C2.1, C8.6).</summary>
    Velocity,
    /// <summary>The score grad log p_t(x) itself; optimum the oracle's score. Declared by a user's network
    /// (<see cref="NetworkUnderTest"/>); <see cref="Trainer"/> does not train it (train <see cref="Noise"/>: s = -eps/sigma).</summary>
    Score,
}

/// <summary>
/// The shape of a denoiser MLP and what it predicts: input [x, time features, class one-hot], <see cref="Layers"/>
/// hidden layers of width <see cref="Hidden"/> with SiLU (time features: t/T, clamp(lambda(t), -12, 12)/4 and Fourier features of t/T), output d.
/// </summary>
/// <param name="Dimension">d &gt;= 1.</param>
/// <param name="Target">what the output means.</param>
/// <param name="ScheduleName">the schedule t refers to, by name (see <see cref="ScheduleCatalog"/>).</param>
/// <param name="Hidden">hidden width &gt;= 1.</param>
/// <param name="Layers">hidden layers &gt;= 1.</param>
/// <param name="Frequencies">Fourier time features: sin/cos of 2^k pi t/T for k = 0..Frequencies-1 (&gt;= 0).</param>
/// <param name="Classes">0 for an unconditional network; otherwise the number of class labels (one extra "null" slot
/// is added for classifier-free guidance, C6.3).</param>
/// <param name="TrainedOn">the data law the network was trained on (<see cref="TrainingData.Describe"/>); null when
/// unknown (a checkpoint written before this was recorded).</param>
public sealed record NetworkConfig(
    int Dimension,
    NetworkTarget Target,
    string ScheduleName,
    int Hidden = 128,
    int Layers = 3,
    int Frequencies = 6,
    int Classes = 0,
    string? TrainedOn = null)
{
    /// <summary>Throws naming the first invalid field.</summary>
    public void Validate()
    {
        if (Dimension < 1) throw new ArgumentOutOfRangeException(nameof(Dimension), Dimension, "Dimension must be >= 1");
        if (!Enum.IsDefined(Target)) throw new ArgumentOutOfRangeException(nameof(Target), Target, "Target must be Noise, Data, VPrediction, Velocity or Score");
        if (Hidden < 1 || Hidden > 65536) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "Hidden must be in 1..65536");
        if (Layers < 1 || Layers > 64) throw new ArgumentOutOfRangeException(nameof(Layers), Layers, "Layers must be in 1..64");
        if (Frequencies < 0 || Frequencies > 32) throw new ArgumentOutOfRangeException(nameof(Frequencies), Frequencies, "Frequencies must be in 0..32");
        if (Classes < 0 || Classes > 65536) throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "Classes must be in 0..65536 (0 = unconditional)");
        ScheduleCatalog.ByName(ScheduleName);
        if (TrainedOn is { Length: > 256 }) throw new ArgumentOutOfRangeException(nameof(TrainedOn), TrainedOn.Length, "TrainedOn must be at most 256 characters (a TrainingData.Describe record)");
    }

    /// <summary>The schedule named by <see cref="ScheduleName"/>.</summary>
    public Schedule Schedule => ScheduleCatalog.ByName(ScheduleName);

    /// <summary>Width of the input layer: d + 2 + 2 Frequencies + (Classes + 1 if conditional).</summary>
    public int InputWidth => Dimension + 2 + 2 * Frequencies + (Classes > 0 ? Classes + 1 : 0);
}
