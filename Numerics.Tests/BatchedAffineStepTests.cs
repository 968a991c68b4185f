using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>The fused isotropic kernel (expanded log terms, clamped exp arguments, widest SIMD lanes) against
/// a x + b grad log p_t from the scalar Theory oracle, computed independently point by point.</summary>
public class BatchedAffineStepTests
{
    private static GaussianMixture UnequalIsotropic() =>
        GaussianMixture.Isotropic([0.1, 0.4, 0.2, 0.3], [[1.0, -2.0], [-1.5, 0.5], [3.0, 3.0], [0.0, 0.0]], [0.3, 0.01, 0.0, 1.5]);

    public static TheoryData<string> Mixtures => new() { "ring", "unequal" };

    [Theory]
    [MemberData(nameof(Mixtures))]
    public void Affine_score_step_equals_a_x_plus_b_times_the_scalar_score(string name)
    {
        var mixture = name == "ring" ? GaussianMixture.Ring(8, 2.0, 0.1) : UnequalIsotropic();
        var schedule = Schedules.VpLinear();
        var oracle = new MixtureOracle(mixture, schedule);
        var batched = new BatchedOracle(mixture, schedule);
        int n = 45, d = mixture.Dimension; // not a multiple of 8 or 4: the scalar tail runs too
        var rng = new Xoshiro256(11);
        var points = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, d).Select(_ => (i % 9 == 4 ? 1e3 : 3.0) * rng.NextGaussian()).ToArray()).ToArray();
        const double a = 0.97, b = -0.35;
        foreach (double t in new[] { 1e-3, 0.05, 0.5, 1.0 })
        {
            var x = Enumerable.Range(0, d).Select(j => points.Select(p => p[j]).ToArray()).ToArray();
            var scratch = Enumerable.Range(0, d).Select(_ => new double[n]).ToArray();
            batched.AffineScoreStep(t, a, b, x, scratch, 0, n, new BatchedOracle.Workspace(batched, n));
            for (int i = 0; i < n; i++)
            {
                var s = oracle.Score(points[i], t);
                for (int j = 0; j < d; j++)
                {
                    double expected = a * points[i][j] + b * s[j];
                    // log terms are O(|x|^2 / C) in both implementations, so their round-off, and the responsibilities'
                    // grows with |x| far from every mode (points 4, 13, ... at |x| ~ 1e3): the tolerance scales with it
                    double radius = Math.Sqrt(points[i].Sum(v => v * v));
                    double scale = (1 + Math.Abs(a * points[i][j]) + Math.Abs(b * s[j])) * (1 + radius);
                    Assert.True(Math.Abs(x[j][i] - expected) < 1e-12 * scale, $"t={t} point {i} coordinate {j}: {x[j][i]} vs {expected}");
                }
            }
        }
    }
}
