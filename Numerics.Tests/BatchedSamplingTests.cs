using Verified.Theory;

namespace Verified.Numerics.Tests;

public class BatchedSamplingTests
{
    private static GaussianMixture FullCovarianceMixture() =>
        new([0.2, 0.5, 0.3],
            [[1.0, -0.5, 0.2], [-1.0, 0.8, 0.0], [0.0, 0.0, 2.0]],
            [new[,] { { 0.5, 0.1, 0.0 }, { 0.1, 0.3, 0.05 }, { 0.0, 0.05, 0.2 } },
             new double[3, 3], // a point mass
             new[,] { { 0.1, 0.0, 0.0 }, { 0.0, 0.4, 0.2 }, { 0.0, 0.2, 0.4 } }]);

    public static TheoryData<string> Mixtures => new() { "ring", "full" };

    private static GaussianMixture ByName(string name) => name == "ring" ? GaussianMixture.Ring(8, 2.0, 0.1) : FullCovarianceMixture();

    [Theory]
    [MemberData(nameof(Mixtures))]
    public void Batched_score_equals_the_scalar_oracle(string name)
    {
        var mixture = ByName(name);
        var schedule = Schedules.VpCosine();
        var oracle = new MixtureOracle(mixture, schedule);
        var batched = new BatchedOracle(mixture, schedule);
        int n = 37, d = mixture.Dimension; // n not a multiple of the SIMD width: exercises the scalar tail
        var rng = new Xoshiro256(3);
        var x = Enumerable.Range(0, d).Select(_ => Enumerable.Range(0, n).Select(_ => 3 * rng.NextGaussian()).ToArray()).ToArray();
        var score = Enumerable.Range(0, d).Select(_ => new double[n]).ToArray();
        foreach (double t in new[] { 0.02, 0.3, 0.9 })
        {
            batched.Score(t, x, score, 0, n, new BatchedOracle.Workspace(batched, n));
            for (int i = 0; i < n; i++)
            {
                var expected = oracle.Score(Enumerable.Range(0, d).Select(j => x[j][i]).ToArray(), t);
                double scale = 1 + expected.Max(Math.Abs);
                for (int j = 0; j < d; j++)
                    Assert.True(Math.Abs(score[j][i] - expected[j]) < 1e-12 * scale, $"t={t} point {i} coordinate {j}: {score[j][i]} vs {expected[j]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Mixtures))]
    public void Batched_ddim_equals_the_scalar_ddim_sampler_from_the_same_starts(string name)
    {
        var mixture = ByName(name);
        var schedule = Schedules.VpLinear();
        var grid = TimeGrids.UniformLambda(schedule, 20, 1.0, 1e-3);
        const int samples = 50, blockSize = 16;
        const ulong seed = 21;
        var batched = BatchedSampling.Ddim(new BatchedOracle(mixture, schedule), grid, samples, seed, eta: 0, blockSize: blockSize);
        var model = new OracleModel(mixture, schedule);
        for (int b = 0; b * blockSize < samples; b++)
        {
            // replay block b's stream: the batched sampler draws its starts from it in order
            var rng = new Xoshiro256(Xoshiro256.Derive(seed, (ulong)b));
            for (int i = b * blockSize; i < Math.Min(samples, (b + 1) * blockSize); i++)
            {
                var start = MarginalDraws.Draw(mixture, schedule, grid.Start, rng);
                var expected = new Ddim(0).Sample(model, start, grid, ZeroNoise.Instance).State;
                for (int j = 0; j < expected.Length; j++)
                    Assert.True(Math.Abs(batched[j][i] - expected[j]) < 1e-10 * (1 + Math.Abs(expected[j])), $"sample {i} coordinate {j}: {batched[j][i]} vs {expected[j]}");
            }
        }
    }

    [Fact]
    public void Batched_ddim_is_bit_identical_for_any_thread_count()
    {
        var schedule = Schedules.VpLinear();
        var oracle = new BatchedOracle(GaussianMixture.Ring(8, 2.0, 0.1), schedule);
        var grid = TimeGrids.UniformTime(schedule, 10, 1.0, 1e-3);
        var one = BatchedSampling.Ddim(oracle, grid, 3000, 5, eta: 0.5, blockSize: 256, maxDegreeOfParallelism: 1);
        var many = BatchedSampling.Ddim(oracle, grid, 3000, 5, eta: 0.5, blockSize: 256, maxDegreeOfParallelism: 4);
        for (int j = 0; j < one.Length; j++) Assert.True(one[j].SequenceEqual(many[j]), $"coordinate {j} differs between 1 and 4 threads");
    }
}
