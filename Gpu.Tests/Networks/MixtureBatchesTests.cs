using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Networks;

/// <summary>The training data path: tensor draws from a mixture have its moments (seeded; false alarm ~1e-6 per
/// assertion: |z| &lt; 4.9 for the means, the same bound on each covariance entry via its own standard error).</summary>
public class MixtureBatchesTests
{
    private const double Z = 4.9;

    [Fact]
    public void Draws_have_the_mixture_mean_covariance_and_class_frequencies()
    {
        var mixture = Fixtures.FullCovariances();
        const int n = 200_000;
        using var batches = new MixtureBatches(mixture, CPU, ScalarType.Float64);
        using var generator = new Generator(42, CPU);
        var (x, labels) = batches.Draw(n, generator);
        using var xs = x;
        using var ls = labels;
        var rows = Fixtures.Rows(xs);
        int d = mixture.Dimension;
        // Exact moments: mean = sum w mu; covariance = sum w (S + mu mu^T) - mean mean^T.
        var mean = new double[d];
        var second = new double[d, d];
        for (int k = 0; k < mixture.Count; k++)
        {
            var mu = mixture.Mean(k);
            var s = mixture.Covariance(k);
            for (int a = 0; a < d; a++)
            {
                mean[a] += mixture.Weight(k) * mu[a];
                for (int b = 0; b < d; b++) second[a, b] += mixture.Weight(k) * (s[a, b] + mu[a] * mu[b]);
            }
        }
        for (int a = 0; a < d; a++)
        {
            var col = rows.Select(r => r[a]).ToArray();
            double m = col.Average(), variance = col.Select(v => (v - m) * (v - m)).Average();
            Assert.True(Math.Abs(m - mean[a]) < Z * Math.Sqrt(variance / n), $"mean[{a}] = {m}, exact {mean[a]}");
            for (int b = 0; b < d; b++)
            {
                var products = rows.Select(r => r[a] * r[b]).ToArray();
                double pm = products.Average(), ps = Math.Sqrt(products.Select(v => (v - pm) * (v - pm)).Average() / n);
                Assert.True(Math.Abs(pm - second[a, b]) < Z * ps, $"E[x{a} x{b}] = {pm}, exact {second[a, b]}");
            }
        }
    }

    [Fact]
    public void Labels_follow_the_class_priors()
    {
        var mixture = Fixtures.Labelled();
        const int n = 100_000;
        using var batches = new MixtureBatches(mixture);
        using var generator = new Generator(7, CPU);
        var (x, labels) = batches.Draw(n, generator);
        x.Dispose();
        using var ls = labels;
        var values = ls.data<long>().ToArray();
        for (int c = 0; c < mixture.ClassCount; c++)
        {
            double p = mixture.ClassPrior(c), observed = values.Count(v => v == c) / (double)n;
            Assert.True(Math.Abs(observed - p) < Z * Math.Sqrt(p * (1 - p) / n), $"class {c}: {observed} vs prior {p}");
        }
    }

    [Fact]
    public void Embedding_table_rounds_embedded_sequences_back_and_rejects_bad_tokens()
    {
        var table = new EmbeddingTable([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]]);
        Assert.Equal(1.0, table.Rho, 12);
        int[][] sequences = [[0, 3], [2, 2], [1, 0]];
        using var z = tensor(sequences.SelectMany(s => table.Embed(s)).ToArray(), [3, 6], ScalarType.Float64);
        using var generator = new Generator(1, CPU);
        using var noisy = z + 0.3 * randn(3, 6, ScalarType.Float64, generator: generator);
        using var tokens = table.Round(noisy);
        Assert.Equal(sequences.SelectMany(s => s.Select(v => (long)v)).ToArray(), tokens.data<long>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Embed([0, 4]));
        Assert.Throws<ArgumentException>(() => new EmbeddingTable([[1.0, 2.0]]));
    }
}
