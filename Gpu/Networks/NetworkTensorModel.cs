using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// A trained <see cref="DenoiserNetwork"/> as a tensor model, so the tensor samplers (and, through
/// <see cref="TensorDiffusionModel"/>, the Numerics samplers) run on it. Inputs of any dtype are evaluated in the
/// network's float32 and returned in the input's dtype. v-predictions are returned as eps:
/// eps = (alpha v + sigma x)/(alpha^2 + sigma^2), from v = alpha eps - sigma x0 and x = alpha x0 + sigma eps.
/// </summary>
/// <remarks>Classifier-free guidance (C6.3, convention of Theory's ClassConditional): out_w = out(null) + w (out(c) - out(null)),
/// w = 1 the conditional model, w = 0 the unconditional one. Every target is affine in eps at fixed (x, t) with the
/// same coefficients for both terms, so guiding the raw output equals guiding eps.</remarks>
public sealed class NetworkTensorModel : ITensorModel
{
    private readonly DenoiserNetwork network;
    private readonly long label;
    private readonly double guidance;

    /// <summary>The network's prediction, conditioned on <paramref name="label"/> (-1 = null) and guided with scale w.</summary>
    /// <param name="network">the network (not owned).</param>
    /// <param name="label">-1 (null condition; the only choice for unconditional networks) or a class in 0..Classes-1.</param>
    /// <param name="guidance">w, finite; ignored unless the network is conditional and label &gt;= 0.</param>
    public NetworkTensorModel(DenoiserNetwork network, int label = -1, double guidance = 1.0)
    {
        ArgumentNullException.ThrowIfNull(network);
        int classes = network.Config.Classes;
        if (label < -1 || label >= classes)
            throw new ArgumentOutOfRangeException(nameof(label), label, classes == 0
                ? "label must be -1 for an unconditional network"
                : $"label must be -1 (null) or in 0..{classes - 1}");
        if (!double.IsFinite(guidance)) throw new ArgumentOutOfRangeException(nameof(guidance), guidance, "guidance must be finite");
        this.network = network;
        this.label = label;
        this.guidance = guidance;
        Schedule = network.Config.Schedule;
    }

    /// <inheritdoc/>
    public int Dimension => network.Config.Dimension;

    /// <inheritdoc/>
    public PredictionKind Kind => network.Config.Target switch
    {
        NetworkTarget.Data => PredictionKind.Data,
        NetworkTarget.Velocity => PredictionKind.Velocity,
        NetworkTarget.Score => PredictionKind.Score,
        _ => PredictionKind.Noise,
    };

    /// <inheritdoc/>
    public Schedule Schedule { get; }

    /// <inheritdoc/>
    public Tensor Predict(Tensor x, double t)
    {
        ArgumentNullException.ThrowIfNull(x);
        Schedule.CheckTime(nameof(t), t);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var x32 = x.to(ScalarType.Float32);
        var times = Scalars.Full(n, t, ScalarType.Float32, x.device);
        Tensor? Classes(long c) => network.Config.Classes > 0 ? Scalars.Full(n, c, ScalarType.Int64, x.device) : null;
        var raw = network.Forward(x32, times, Classes(label));
        if (network.Config.Classes > 0 && label >= 0 && guidance != 1.0)
        {
            var unconditional = network.Forward(x32, times, Classes(-1));
            raw = unconditional.Plus((raw - unconditional).Times(guidance));
        }
        var output = raw.to(x.dtype);
        if (network.Config.Target == NetworkTarget.VPrediction)
            output = NoiseFromV(output, x, Schedule.Alpha(t), Schedule.Sigma(t));
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>eps = (alpha v + sigma x)/(alpha^2 + sigma^2), the inverse of v = alpha eps - sigma x0 given
    /// x = alpha x0 + sigma eps ([133]-[134]; for VP schedules the denominator is 1).</summary>
    public static Tensor NoiseFromV(Tensor v, Tensor x, double alpha, double sigma)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(x);
        return v.Times(alpha).Plus(x.Times(sigma)).Over(alpha * alpha + sigma * sigma);
    }
}
