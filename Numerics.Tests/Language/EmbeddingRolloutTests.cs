using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>Section 9: with the exact denoiser of a token-level law, the embedding-space rollout with rounding
/// reproduces the token distribution (C9.2), checked by a chi-square test.</summary>
public class EmbeddingRolloutTests
{
    private static readonly EmbeddingTable Table = new(new[,] { { 1.0, 1.0 }, { 1.0, -1.0 }, { -1.0, 1.0 } });
    private static readonly TokenSequenceLaw Law = new([[0, 1], [2, 2], [1, 0]], [0.5, 0.3, 0.2]);

    // 3 eta values, each a chi-square test with 2 degrees of freedom at false-alarm 1e-4 (total <= 3e-4):
    // the chi2(2) upper quantile is -2 ln(1e-4).
    private static readonly double ChiSquareCritical = -2 * Math.Log(1e-4);
    private const int Samples = 600;

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void C9_2_rollout_with_the_exact_denoiser_reproduces_the_token_distribution(double eta)
    {
        var vp = Schedules.VpLinear();
        var denoiser = Law.ExactDenoiser(Table, vp);
        var grid = TimeGrids.UniformTime(vp, 100, 1.0, 0.0);
        var rollout = new EmbeddingRollout(Table, eta);
        var counts = new int[Law.Count + 1]; // the last bin counts sequences outside the support
        var tokens = new int[Samples][];
        Parallel.For(0, Samples, i => tokens[i] = rollout.Generate(denoiser, grid, new SeededNoise(Xoshiro256.Derive(99, (ulong)i))).Tokens);
        foreach (var y in tokens)
        {
            int k = Law.IndexOf(y);
            counts[k < 0 ? Law.Count : k]++;
        }
        Assert.True(counts[Law.Count] == 0, $"eta = {eta}: {counts[Law.Count]} rollouts left the support");
        double chi2 = Enumerable.Range(0, Law.Count).Sum(k => Math.Pow(counts[k] - Samples * Law.Probability(k), 2) / (Samples * Law.Probability(k)));
        Assert.True(chi2 < ChiSquareCritical, $"eta = {eta}: counts {string.Join(",", counts)}, chi2 = {chi2:F2}");
    }

    [Fact]
    public void Rounding_inverts_embedding_and_bad_inputs_are_rejected()
    {
        int[] y = [2, 0, 1, 1];
        Assert.Equal(y, Table.Round(Table.Embed(y)));
        Assert.Equal(1.0, Table.RootMeanSquare, 1e-15);
        Assert.Equal("tokens", Assert.Throws<ArgumentOutOfRangeException>(() => Table.Embed([3])).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => Table.Round(new double[3])).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => new TokenSequenceLaw([[0], [1]], [0.5, 0.6])).ParamName);
        Assert.Equal("sequences", Assert.Throws<ArgumentException>(() => new TokenSequenceLaw([[0], [0]], [0.5, 0.5])).ParamName);
        Assert.Equal("eta", Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingRollout(Table, 2.0)).ParamName);
    }
}
