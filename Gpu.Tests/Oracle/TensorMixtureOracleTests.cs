using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Oracle;

/// <summary>The tensor oracle against Theory's MixtureOracle, which computes the same quantities one point at a time
/// with its own loops (THEORY section 2).</summary>
public class TensorMixtureOracleTests
{
    private const double Float64Tolerance = 1e-12; // relative, per point
    private const double Float32Tolerance = 1e-4;  // float32 round-off through K log-terms and a softmax

    public static IEnumerable<object[]> Cases()
    {
        foreach (var (name, _) in Fixtures.Mixtures())
            foreach (var schedule in Fixtures.Schedules())
                foreach (var fraction in new[] { 0.01, 0.2, 0.5, 0.9 })
                    yield return [name, schedule.Name, fraction];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score_posterior_mean_and_noise_equal_Theory_in_float64(string mixtureName, string scheduleName, double fraction)
    {
        var mixture = Fixtures.Mixtures().Single(m => m.Name == mixtureName).Mixture;
        var schedule = Fixtures.Schedules().Single(s => s.Name == scheduleName);
        double t = schedule.TMin + fraction * (schedule.TMax - schedule.TMin);
        var reference = new MixtureOracle(mixture, schedule);
        var points = Fixtures.Points(mixture, schedule, t, 40, 17);
        using var oracle = new TensorMixtureOracle(mixture, schedule, CPU);
        using var x = Fixtures.Batch(points);
        using var score = oracle.Score(x, t);
        using var mean = oracle.PosteriorMean(x, t);
        using var eps = oracle.ExpectedNoise(x, t);
        using var logp = oracle.LogDensity(x, t);
        var (s, m, e) = (Fixtures.Rows(score), Fixtures.Rows(mean), Fixtures.Rows(eps));
        var lp = logp.data<double>().ToArray();
        for (int i = 0; i < points.Length; i++)
        {
            Assert.True(Fixtures.RelativeError(s[i], reference.Score(points[i], t)) < Float64Tolerance, $"score at row {i}");
            Assert.True(Fixtures.RelativeError(m[i], reference.PosteriorMean(points[i], t)) < Float64Tolerance, $"posterior mean at row {i}");
            Assert.True(Fixtures.RelativeError(e[i], reference.ExpectedNoise(points[i], t)) < Float64Tolerance, $"eps* at row {i}");
            double lref = reference.LogDensity(points[i], t);
            Assert.True(Math.Abs(lp[i] - lref) <= Float64Tolerance * Math.Max(1, Math.Abs(lref)), $"log density at row {i}");
        }
    }

    [Fact]
    public void Float32_agrees_with_float64_to_single_precision()
    {
        var mixture = GaussianMixture.Ring(6, 2.0, 0.3);
        var schedule = Verified.Theory.Schedules.VpLinear();
        var points = Fixtures.Points(mixture, schedule, 0.3, 50, 5)[1..];
        using var o64 = new TensorMixtureOracle(mixture, schedule, CPU);
        using var o32 = new TensorMixtureOracle(mixture, schedule, CPU, ScalarType.Float32);
        using var x64 = Fixtures.Batch(points);
        using var x32 = Fixtures.Batch(points, ScalarType.Float32);
        using var s64 = o64.Score(x64, 0.3);
        using var s32 = o32.Score(x32, 0.3);
        Assert.Equal(ScalarType.Float32, s32.dtype);
        var (a, b) = (Fixtures.Rows(s32), Fixtures.Rows(s64));
        for (int i = 0; i < a.Length; i++) Assert.True(Fixtures.RelativeError(a[i], b[i]) < Float32Tolerance, $"row {i}");
    }

    [Fact]
    public void Conditional_and_guided_noise_equal_ClassConditional()
    {
        var mixture = Fixtures.Labelled();
        var schedule = Verified.Theory.Schedules.VpCosine();
        var guidance = new ClassConditional(new MixtureOracle(mixture, schedule));
        const double t = 0.4, w = 2.5;
        var points = Fixtures.Points(mixture, schedule, t, 30, 3)[1..];
        var labels = points.Select((_, i) => (long)(i % 2)).ToArray();
        using var oracle = new TensorMixtureOracle(mixture, schedule, CPU);
        using var x = Fixtures.Batch(points);
        using var c = tensor(labels);
        using var cond = oracle.ExpectedNoise(x, t, c);
        using var guided = oracle.GuidedNoise(x, t, c, w);
        var (a, g) = (Fixtures.Rows(cond), Fixtures.Rows(guided));
        for (int i = 0; i < points.Length; i++)
        {
            int label = (int)labels[i];
            Assert.True(Fixtures.RelativeError(a[i], guidance.ConditionalNoise(points[i], t, label)) < Float64Tolerance, $"conditional row {i}");
            Assert.True(Fixtures.RelativeError(g[i], guidance.ClassifierFreeGuidedNoise(points[i], t, label, w)) < Float64Tolerance, $"guided row {i}");
        }
    }

    [Fact]
    public void Bad_inputs_give_clear_errors()
    {
        var mixture = GaussianMixture.PointMasses([0.5, 0.5], [[1, 0], [-1, 0]]);
        var schedule = Verified.Theory.Schedules.VpLinear();
        using var oracle = new TensorMixtureOracle(mixture, schedule, CPU);
        using var wrongShape = zeros(4, 3, ScalarType.Float64);
        Assert.Contains("shape [n, 2]", Assert.Throws<ArgumentException>(() => oracle.Score(wrongShape, 0.5)).Message);
        using var wrongType = zeros(4, 2, ScalarType.Float32);
        Assert.Contains("dtype Float64", Assert.Throws<ArgumentException>(() => oracle.Score(wrongType, 0.5)).Message);
        using var x = zeros(4, 2, ScalarType.Float64);
        Assert.Contains("sigma(t) > 0", Assert.Throws<ArgumentOutOfRangeException>(() => oracle.Score(x, 0.0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => oracle.Score(x, 1.5));
        using var badClass = tensor(new long[] { 0, 1, 2, 0 });
        Assert.Contains("label in 0..0", Assert.Throws<ArgumentOutOfRangeException>(() => oracle.Score(x, 0.5, badClass)).Message);
    }
}
