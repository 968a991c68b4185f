using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>Determinism of the batched oracle: a point's score is the same bits whatever its position in the batch,
/// the batch's offset in the arrays, or the batch size (so OracleModel needs no per-point path). The reference is the
/// same point evaluated alone (count 1: the scalar tail only); the batches run the SIMD groups.</summary>
public class PositionIndependenceTests
{
    private static double[,] Diagonal(params double[] v)
    {
        var m = new double[v.Length, v.Length];
        for (int i = 0; i < v.Length; i++) m[i, i] = v[i];
        return m;
    }

    private static GaussianMixture ByName(string name) => name switch
    {
        "ring" => GaussianMixture.Ring(8, 2.0, 0.1),
        "isotropic-unequal" => GaussianMixture.Isotropic([0.1, 0.6, 0.3], [[0.0, 1.0], [2.0, 0.0], [-1.5, -0.5]], [0.05, 0.4, 0.0]),
        "diagonal" => new([0.35, 0.65], [[1.0, -0.5, 0.2], [-1.0, 0.8, 0.0]], [Diagonal(0.3, 0.05, 0.6), Diagonal(0.1, 0.5, 0.02)]),
        "full" => Fixtures.Mixture2D(),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string> Names => new() { "ring", "isotropic-unequal", "diagonal", "full" };

    [Theory]
    [MemberData(nameof(Names))]
    public void A_points_score_does_not_depend_on_its_offset_or_batch(string name)
    {
        var mixture = ByName(name);
        var oracle = new BatchedOracle(mixture, Schedules.VpLinear());
        int d = mixture.Dimension, n = 45;
        var rng = new Xoshiro256(17);
        // spreads from near the modes to 100 away: at t = 0.01 far points put exp arguments below the clamp (KernelExp.Floor)
        var points = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, d).Select(_ => (i % 5 == 0 ? 100.0 : 1.5) * rng.NextGaussian()).ToArray()).ToArray();
        var work = new BatchedOracle.Workspace(oracle, n);
        foreach (double t in new[] { 0.01, 0.3 })
        {
            var alone = points.Select(p => ScoreAt(oracle, work, [p], 0, t)[0]).ToArray();
            foreach (int offset in new[] { 0, 1, 3, 5, 7 })
                foreach (int count in new[] { n, 17, 8 })
                {
                    var batch = ScoreAt(oracle, work, points.Take(count).ToArray(), offset, t);
                    for (int i = 0; i < count; i++)
                        for (int j = 0; j < d; j++)
                            Assert.True(BitConverter.DoubleToInt64Bits(batch[i][j]) == BitConverter.DoubleToInt64Bits(alone[i][j]),
                                $"{name}, t = {t}, offset {offset}, batch of {count}, point {i}, coordinate {j}: {batch[i][j]:R} in the batch vs {alone[i][j]:R} alone");
                }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Oracle_model_predict_gives_every_point_the_bits_it_gets_alone(string name)
    {
        var mixture = ByName(name);
        var model = new OracleModel(mixture, Schedules.VpLinear());
        int d = mixture.Dimension, n = 29;
        var rng = new Xoshiro256(5);
        var x = new double[n * d];
        rng.FillGaussian(x);
        for (int i = 0; i < x.Length; i += 3) x[i] *= 80;
        var batch = new double[n * d];
        model.Predict(x, 0.02, batch);
        var one = new double[d];
        for (int i = 0; i < n; i++)
        {
            model.Predict(x.AsSpan(i * d, d), 0.02, one);
            for (int j = 0; j < d; j++)
                Assert.True(BitConverter.DoubleToInt64Bits(one[j]) == BitConverter.DoubleToInt64Bits(batch[i * d + j]),
                    $"{name}, point {i}, coordinate {j}: {batch[i * d + j]:R} in the batch vs {one[j]:R} alone");
        }
    }

    /// <summary>Scores of the points placed at <paramref name="offset"/> in fresh arrays (garbage around them).</summary>
    private static double[][] ScoreAt(BatchedOracle oracle, BatchedOracle.Workspace work, double[][] points, int offset, double t)
    {
        int d = oracle.Dimension, n = points.Length, length = offset + n + 3;
        var x = Enumerable.Range(0, d).Select(_ => Enumerable.Repeat(1e6, length).ToArray()).ToArray();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) x[j][offset + i] = points[i][j];
        var s = Enumerable.Range(0, d).Select(_ => new double[length]).ToArray();
        oracle.Score(t, x, s, offset, n, work);
        return Enumerable.Range(0, n).Select(i => Enumerable.Range(0, d).Select(j => s[j][offset + i]).ToArray()).ToArray();
    }
}
