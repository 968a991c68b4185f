using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Where tensor samplers get their standard normal draws (the tensor counterpart of Numerics' INoiseSource):
/// no sampler owns a generator, so runs are reproducible and their noise can be recorded and replayed.</summary>
public interface ITensorNoise
{
    /// <summary>A new tensor of independent N(0, 1) entries for the step from forward time <paramref name="from"/> down to
    /// <paramref name="to"/>, with the shape, dtype and device of <paramref name="like"/>.</summary>
    Tensor Next(double from, double to, Tensor like);
}

/// <summary>Draws from an explicit <see cref="torch.Generator"/> seeded once: the same seed gives the same sequence.</summary>
public sealed class GeneratorNoise : ITensorNoise, IDisposable
{
    private readonly Generator generator;

    /// <summary>A source seeded with <paramref name="seed"/>, drawing on <paramref name="device"/> (null: the CPU).</summary>
    public GeneratorNoise(ulong seed, Device? device = null) => generator = new Generator(seed, device ?? CPU);

    /// <inheritdoc/>
    public Tensor Next(double from, double to, Tensor like) =>
        randn(like.shape, like.dtype, like.device, requires_grad: false, generator: generator);

    /// <inheritdoc/>
    public void Dispose() => generator.Dispose();
}

/// <summary>Records every draw of an inner source, so the same noise can be fed to the Numerics samplers
/// (<see cref="RowDraws"/> gives, for one sample, the sequence a Numerics <c>ReplayNoise</c> replays).</summary>
public sealed class RecordingTensorNoise : ITensorNoise, IDisposable
{
    private readonly ITensorNoise inner;
    private readonly List<Tensor> draws = [];

    /// <summary>Records what <paramref name="inner"/> produces (not owned).</summary>
    public RecordingTensorNoise(ITensorNoise inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        this.inner = inner;
    }

    /// <summary>Number of draws so far.</summary>
    public int Count => draws.Count;

    /// <inheritdoc/>
    public Tensor Next(double from, double to, Tensor like)
    {
        var z = inner.Next(from, to, like);
        draws.Add(z.to(ScalarType.Float64, CPU, copy: true).DetachFromDisposeScope());
        return z;
    }

    /// <summary>Row <paramref name="row"/> of every draw, in order, as float64 arrays.</summary>
    public IReadOnlyList<double[]> RowDraws(int row) =>
        draws.Select(z =>
        {
            using var r = z[row];
            return r.data<double>().ToArray();
        }).ToList();

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var z in draws) z.Dispose();
        draws.Clear();
    }
}
