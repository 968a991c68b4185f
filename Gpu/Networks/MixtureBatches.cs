using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Exact draws from a Gaussian mixture as tensors: k ~ Categorical(w), x0 = mu_k + U_k (sqrt(l_k) * z),
/// z ~ N(0, I), with the component's class label; all randomness from the caller's generator.</summary>
public sealed class MixtureBatches : IDisposable
{
    private readonly Tensor weights, means, factors, labels;

    /// <summary>Prepares draws from <paramref name="mixture"/> on <paramref name="device"/> (null: CPU) in <paramref name="dtype"/>.</summary>
    public MixtureBatches(GaussianMixture mixture, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        TensorChecks.FloatingType(dtype, nameof(dtype));
        Mixture = mixture;
        Device = device ?? CPU;
        DType = dtype;
        int k = mixture.Count, d = mixture.Dimension;
        var f = new double[k * d * d];
        var mu = new double[k * d];
        for (int i = 0; i < k; i++)
        {
            var u = mixture.ComponentEigenvectors(i);
            var l = mixture.ComponentEigenvalues(i);
            for (int r = 0; r < d; r++)
                for (int c = 0; c < d; c++) f[i * d * d + r * d + c] = u[r * d + c] * Math.Sqrt(l[c]); // U diag(sqrt l)
            Array.Copy(mixture.Mean(i), 0, mu, i * d, d);
        }
        weights = tensor(mixture.Weights, ScalarType.Float64).DetachFromDisposeScope();
        means = tensor(mu, [k, d], ScalarType.Float64).to(dtype, Device).DetachFromDisposeScope();
        factors = tensor(f, [k, d, d], ScalarType.Float64).to(dtype, Device).DetachFromDisposeScope();
        labels = tensor(mixture.Labels.Select(c => (long)c).ToArray(), ScalarType.Int64).to(Device).DetachFromDisposeScope();
    }

    /// <summary>The mixture.</summary>
    public GaussianMixture Mixture { get; }

    /// <summary>Where draws live.</summary>
    public Device Device { get; }

    /// <summary>dtype of the draws.</summary>
    public ScalarType DType { get; }

    /// <summary>n draws x0 [n, d] and their class labels [n] (int64).</summary>
    public (Tensor Data, Tensor Labels) Draw(int n, Generator generator)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be >= 1");
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var component = multinomial(weights, n, replacement: true, generator: generator).to(Device);
        var z = randn([n, Mixture.Dimension], ScalarType.Float64, CPU, generator: generator).to(DType, Device);
        var x0 = means[component].Plus(einsum("nrj,nj->nr", factors[component], z));
        return (x0.MoveToOuterDisposeScope(), labels[component].MoveToOuterDisposeScope());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        weights.Dispose();
        means.Dispose();
        factors.Dispose();
        labels.Dispose();
    }
}
