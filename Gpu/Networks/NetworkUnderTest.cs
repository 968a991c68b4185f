using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// A user's own TorchSharp network, held to the exact oracle of the Gaussian mixture it was trained on (the
/// <c>check-network --model</c>, <c>report --model</c> and <c>gate --model</c> routes, docs/GPU.md). Subclass it, return
/// the raw network output from <see cref="Forward"/> and declare what that output means, the schedule its t refers to,
/// the data law, and the device and dtype it runs in; <see cref="Predict"/> moves the batch there and back and reads a
/// v-prediction as eps = (alpha v + sigma x)/(alpha^2 + sigma^2) ([133]-[134]).
/// </summary>
/// <remarks>For <c>--model PATH.dll</c> the tool loads every public non-abstract subclass with a public parameterless
/// constructor and the networks of every public <see cref="INetworkProvider"/> type.</remarks>
public abstract class NetworkUnderTest : ITensorModel
{
    /// <summary>Declares the network.</summary>
    /// <param name="name">shown in the report, non-empty.</param>
    /// <param name="target">what <see cref="Forward"/> returns: eps, x0, v = alpha eps - sigma x0, the forward PF-ODE
    /// velocity or the score.</param>
    /// <param name="schedule">the schedule t refers to.</param>
    /// <param name="trainedOn">the data law it was trained for: the oracle it is checked against.</param>
    /// <param name="device">where <see cref="Forward"/> runs (default CPU).</param>
    /// <param name="dtype">the dtype <see cref="Forward"/> takes and returns: float32 or float64.</param>
    protected NetworkUnderTest(string name, NetworkTarget target, Schedule schedule, GaussianMixture trainedOn,
        Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(trainedOn);
        if (!Enum.IsDefined(target)) throw new ArgumentOutOfRangeException(nameof(target), target, "target must be Noise, Data, VPrediction, Velocity or Score");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "dtype must be Float32 or Float64");
        Name = name;
        Target = target;
        Schedule = schedule;
        TrainedOn = trainedOn;
        Device = device ?? CPU;
        DType = dtype;
    }

    /// <summary>The network's name in the report.</summary>
    public string Name { get; }

    /// <summary>What <see cref="Forward"/> returns.</summary>
    public NetworkTarget Target { get; }

    /// <summary>The data law the network was trained for.</summary>
    public GaussianMixture TrainedOn { get; }

    /// <summary>The device <see cref="Forward"/> runs on.</summary>
    public Device Device { get; }

    /// <summary>The dtype <see cref="Forward"/> takes and returns.</summary>
    public ScalarType DType { get; }

    /// <inheritdoc/>
    public int Dimension => TrainedOn.Dimension;

    /// <inheritdoc/>
    public Schedule Schedule { get; }

    /// <inheritdoc/>
    public PredictionKind Kind => Target switch
    {
        NetworkTarget.Data => PredictionKind.Data,
        NetworkTarget.Velocity => PredictionKind.Velocity,
        NetworkTarget.Score => PredictionKind.Score,
        _ => PredictionKind.Noise, // eps, and v read as eps
    };

    /// <summary>The raw network output [n, d] at x [n, d] and times t [n] (forward time), both of <see cref="DType"/>
    /// on <see cref="Device"/>. Runs under no_grad; a new tensor, never x modified in place.</summary>
    protected abstract Tensor Forward(Tensor x, Tensor t);

    /// <inheritdoc/>
    public Tensor Predict(Tensor x, double t)
    {
        ArgumentNullException.ThrowIfNull(x);
        Schedule.CheckTime(nameof(t), t);
        if (x.dim() != 2 || x.shape[1] != Dimension)
            throw new ArgumentException($"x must have shape [n, {Dimension}], got [{string.Join(", ", x.shape)}]", nameof(x));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = x.to(DType, Device);
        var output = Forward(input, Scalars.Full(x.shape[0], t, DType, Device));
        if (output.dim() != 2 || output.shape[0] != x.shape[0] || output.shape[1] != Dimension)
            throw new InvalidOperationException($"{Name}: Forward returned shape [{string.Join(", ", output.shape)}], expected [{x.shape[0]}, {Dimension}]");
        var result = output.to(x.dtype, x.device);
        if (Target == NetworkTarget.VPrediction)
            result = NetworkTensorModel.NoiseFromV(result, x, Schedule.Alpha(t), Schedule.Sigma(t));
        return result.MoveToOuterDisposeScope();
    }
}

/// <summary>Exposes networks to <c>--model PATH.dll</c> when they need constructor arguments (weights to load, a device).</summary>
public interface INetworkProvider
{
    /// <summary>The networks to check; each name once.</summary>
    IEnumerable<NetworkUnderTest> Networks();
}
