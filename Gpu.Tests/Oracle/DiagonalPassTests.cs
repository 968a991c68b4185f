using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Oracle;

/// <summary>The specialised diagonal pass (expanded log terms, two matrix products) against the general rotated pass
/// of the same oracle class, on diagonal mixtures where both apply, including classes and far-away points.</summary>
public class DiagonalPassTests
{
    private static IEnumerable<(string Name, GaussianMixture Mixture)> DiagonalMixtures()
    {
        yield return ("ring(8, r=2, std=0.1)", GaussianMixture.Ring(8, 2.0, 0.1));
        yield return ("labelled unequal isotropic", Fixtures.Labelled());
        yield return ("diagonal unequal 3d", new GaussianMixture([0.3, 0.7], [[1.0, -0.5, 0.2], [-1.0, 1.5, 0.0]],
            [new double[,] { { 0.5, 0, 0 }, { 0, 0.05, 0 }, { 0, 0, 0.0 } }, new double[,] { { 0.1, 0, 0 }, { 0, 1.0, 0 }, { 0, 0, 0.3 } }]));
    }

    public static IEnumerable<object[]> Cases() =>
        from m in DiagonalMixtures() from f in new[] { 0.01, 0.3, 0.9 } select new object[] { m.Name, f };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagonal_pass_equals_the_general_pass(string name, double fraction)
    {
        var mixture = DiagonalMixtures().Single(m => m.Name == name).Mixture;
        var schedule = Verified.Theory.Schedules.VpLinear();
        double t = schedule.TMin + fraction * (schedule.TMax - schedule.TMin);
        var points = Fixtures.Points(mixture, schedule, t, 30, 3).Append(Enumerable.Repeat(40.0, mixture.Dimension).ToArray()).ToArray();
        using var fast = new TensorMixtureOracle(mixture, schedule, CPU);
        using var general = new TensorMixtureOracle(mixture, schedule, CPU, ScalarType.Float64, allowDiagonalPass: false);
        Assert.True(fast.UsesDiagonalPass);
        Assert.False(general.UsesDiagonalPass);
        using var x = Fixtures.Batch(points);
        using var classes = tensor(Enumerable.Range(0, points.Length).Select(i => (long)(i % 3 - 1) % (mixture.ClassCount)).ToArray());
        foreach (var (what, f, g) in new (string, Func<TensorMixtureOracle, Tensor>, int)[]
                 {
                     ("score", o => o.Score(x, t), 0), ("posterior mean", o => o.PosteriorMean(x, t), 0),
                     ("conditional score", o => o.Score(x, t, classes), 0), ("responsibilities", o => o.Responsibilities(x, t), 0),
                 })
        {
            using var a = f(fast);
            using var b = f(general);
            var (ra, rb) = (Fixtures.Rows(a), Fixtures.Rows(b));
            for (int i = 0; i < ra.Length; i++)
                Assert.True(Fixtures.RelativeError(ra[i], rb[i]) < 1e-11, $"{what} row {i}: {string.Join(", ", ra[i])} vs {string.Join(", ", rb[i])}");
        }
        using var la = fast.LogDensity(x, t);
        using var lb = general.LogDensity(x, t);
        var (pa, pb) = (la.data<double>().ToArray(), lb.data<double>().ToArray());
        for (int i = 0; i < pa.Length; i++) Assert.True(Math.Abs(pa[i] - pb[i]) <= 1e-11 * Math.Max(1, Math.Abs(pb[i])), $"log density row {i}");
    }
}
