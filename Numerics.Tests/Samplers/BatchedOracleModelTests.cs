using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>The product's CPU model: <see cref="OracleModel"/> evaluates a row-major batch through the SIMD
/// <see cref="BatchedOracle"/>. Checked point by point against the scalar Theory oracle (<see cref="MixtureOracle"/>,
/// an independent implementation: eigen-coordinates and per-point log-sum-exp in F#) in every parameterisation.</summary>
public class BatchedOracleModelTests
{
    private static double[,] Diagonal(params double[] v)
    {
        var m = new double[v.Length, v.Length];
        for (int i = 0; i < v.Length; i++) m[i, i] = v[i];
        return m;
    }

    private static GaussianMixture ByName(string name) => name switch
    {
        "isotropic-ring" => GaussianMixture.Ring(8, 2.0, 0.1),
        "isotropic-unequal" => GaussianMixture.Isotropic([0.1, 0.6, 0.3], [[0.0, 1.0, -1.0], [2.0, 0.0, 0.5], [-1.5, -0.5, 0.0]], [0.05, 0.4, 1.2]),
        "diagonal" => new([0.35, 0.65], [[1.0, -0.5, 0.2], [-1.0, 0.8, 0.0]], [Diagonal(0.3, 0.05, 0.6), Diagonal(0.1, 0.5, 0.02)]),
        "full-unequal" => Fixtures.Mixture2D(),
        "full-with-point-mass" => new([0.2, 0.5, 0.3],
            [[1.0, -0.5, 0.2], [-1.0, 0.8, 0.0], [0.0, 0.0, 2.0]],
            [new[,] { { 0.5, 0.1, 0.0 }, { 0.1, 0.3, 0.05 }, { 0.0, 0.05, 0.2 } },
             new double[3, 3],
             new[,] { { 0.1, 0.0, 0.0 }, { 0.0, 0.4, 0.2 }, { 0.0, 0.2, 0.4 } }]),
        "full-8d" => new([0.7, 0.3],
            [Enumerable.Range(0, 8).Select(j => 0.3 * j - 1.0).ToArray(), Enumerable.Range(0, 8).Select(j => 1.0 - 0.2 * j).ToArray()],
            [Fixtures.Rotated([0.9, 0.2, 0.5, 1.4, 0.3, 0.7, 0.05, 1.0], 0.6), Fixtures.Rotated([0.1, 1.1, 0.4, 0.2, 0.8, 0.6, 0.3, 0.9], -1.1)]),
        "single-gaussian" => Fixtures.Gaussian2D(),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string, int, double> Cases()
    {
        var data = new TheoryData<string, int, double>();
        // n = 1 (scalar tail only), n = 19 (two-plus SIMD groups and a ragged tail); spread 1 near the modes, 40 far away.
        foreach (var name in new[] { "isotropic-ring", "isotropic-unequal", "diagonal", "full-unequal", "full-with-point-mass", "full-8d", "single-gaussian" })
            foreach (int n in new[] { 1, 19 })
                foreach (double spread in new[] { 1.0, 40.0 })
                    data.Add(name, n, spread);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_parameterisation_of_a_batch_matches_the_scalar_oracle_point_by_point(string name, int n, double spread)
    {
        var mixture = ByName(name);
        foreach (var schedule in new[] { Schedules.VpLinear(), Schedules.Ve() })
        {
            var scalar = new MixtureOracle(mixture, schedule);
            var view = new ModelView(new OracleModel(mixture, schedule));
            int d = mixture.Dimension;
            var rng = new Xoshiro256(41);
            var x = new double[n * d];
            rng.FillGaussian(x);
            for (int i = 0; i < x.Length; i++) x[i] *= spread;
            var output = new double[n * d];
            foreach (double t in new[] { 0.01, 0.05, 0.5, 0.95 })
            {
                Check("score", view.Score, (p, s) => scalar.Score(p, s));
                Check("noise", view.Noise, (p, s) => scalar.ExpectedNoise(p, s));
                Check("data", view.Data, (p, s) => scalar.PosteriorMean(p, s));
                Check("velocity", view.Velocity, (p, s) => scalar.Velocity(p, s));

                void Check(string kind, Evaluate evaluate, Func<double[], double, double[]> reference)
                {
                    evaluate(x, t, output);
                    for (int p = 0; p < n; p++)
                    {
                        var expected = reference(x.AsSpan(p * d, d).ToArray(), t);
                        double scale = 1 + expected.Max(Math.Abs);
                        for (int j = 0; j < d; j++)
                        {
                            double actual = output[p * d + j];
                            Assert.True(Math.Abs(actual - expected[j]) <= 1e-9 * scale,
                                $"{name}, {schedule.Name}, t = {t}, {kind}, point {p} of {n}, coordinate {j}: batched {actual:R} vs scalar {expected[j]:R}");
                        }
                    }
                }
            }
        }
    }

    private delegate void Evaluate(ReadOnlySpan<double> x, double t, Span<double> output);
}
