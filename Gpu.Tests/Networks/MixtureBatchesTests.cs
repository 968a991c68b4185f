using Verified.Testing;
using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Networks;

/// <summary>The training data path: tensor draws from a mixture have its moments and class frequencies (z-tests,
/// Bonferroni within each check, under the Monte Carlo harness's alpha).</summary>
public class MixtureBatchesTests
{
    [Fact]
    public void Draws_have_the_mixture_mean_covariance_and_class_frequencies()
    {
        var mixture = Fixtures.FullCovariances();
        const int n = 200_000;
        using var batches = new MixtureBatches(mixture, CPU, ScalarType.Float64);
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
        StatisticalCheck.Run("MixtureBatches draws have the mixture's mean and second moments", seed =>
        {
            using var generator = new Generator(seed, CPU);
            var (x, labels) = batches.Draw(n, generator);
            using var xs = x;
            using var ls = labels;
            var rows = Fixtures.Rows(xs);
            var zs = new List<(string What, double Z)>();
            for (int a = 0; a < d; a++)
            {
                var col = rows.Select(r => r[a]).ToArray();
                double m = col.Average(), variance = col.Select(v => (v - m) * (v - m)).Average();
                zs.Add(($"mean[{a}] = {m}, exact {mean[a]}", (m - mean[a]) / Math.Sqrt(variance / n)));
                for (int b = a; b < d; b++)
                {
                    var products = rows.Select(r => r[a] * r[b]).ToArray();
                    double pm = products.Average(), ps = Math.Sqrt(products.Select(v => (v - pm) * (v - pm)).Average() / n);
                    zs.Add(($"E[x{a} x{b}] = {pm}, exact {second[a, b]}", (pm - second[a, b]) / ps));
                }
            }
            var worst = zs.MaxBy(z => Math.Abs(z.Z));
            return new StatisticalOutcome(StatisticalCheck.Bonferroni(zs.Select(z => StatisticalCheck.NormalTwoSided(z.Z)).ToList()), $"{worst.What} (z = {worst.Z:F2})");
        });
    }

    [Fact]
    public void Labels_follow_the_class_priors()
    {
        var mixture = Fixtures.Labelled();
        const int n = 100_000;
        using var batches = new MixtureBatches(mixture);
        StatisticalCheck.Run("MixtureBatches labels follow the class priors (chi-square)", seed =>
        {
            using var generator = new Generator(seed, CPU);
            var (x, labels) = batches.Draw(n, generator);
            x.Dispose();
            using var ls = labels;
            var values = ls.data<long>().ToArray();
            double chi2 = 0;
            var observed = new double[mixture.ClassCount];
            for (int c = 0; c < mixture.ClassCount; c++)
            {
                double expected = n * mixture.ClassPrior(c);
                observed[c] = values.Count(v => v == c);
                chi2 += (observed[c] - expected) * (observed[c] - expected) / expected;
            }
            return new StatisticalOutcome(StatisticalCheck.ChiSquareUpper(mixture.ClassCount - 1, chi2),
                $"counts {string.Join(", ", observed)} of {n}, chi2 = {chi2:F2}");
        });
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
