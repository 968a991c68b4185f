using MathNet.Numerics.LinearAlgebra;

namespace Verified.Numerics.Tests;

/// <summary>The closed-form KL and W2 against independent routes: scalar formulas, the textbook KL with an explicit
/// inverse and determinant, and the commuting-case W2 = |P^1/2 - Q^1/2|_F.</summary>
public class GaussianLawTests
{
    private static GaussianLaw Law(double[] mean, double[,] covariance) => new(mean, covariance);

    [Theory]
    [InlineData(0.0, 1.0, 0.0, 1.0)]
    [InlineData(0.3, 2.0, -0.1, 0.5)]
    [InlineData(5.0, 1e-3, 4.0, 3.0)]
    public void One_dimensional_KL_and_W2_match_the_scalar_formulas(double m1, double v1, double m2, double v2)
    {
        var p = Law([m1], new[,] { { v1 } });
        var q = Law([m2], new[,] { { v2 } });
        double kl = 0.5 * (v1 / v2 - 1 - Math.Log(v1 / v2) + (m1 - m2) * (m1 - m2) / v2);
        double w2 = Math.Sqrt((m1 - m2) * (m1 - m2) + Math.Pow(Math.Sqrt(v1) - Math.Sqrt(v2), 2));
        Assert.Equal(kl, p.KullbackLeibler(q), 1e-12 * (1 + kl));
        Assert.Equal(w2, p.Wasserstein2(q), 1e-12 * (1 + w2));
    }

    [Fact]
    public void KL_matches_the_textbook_formula_with_explicit_inverse_and_determinant()
    {
        var pCov = Fixtures.Rotated([0.5, 1.2, 2.0], 0.4);
        var qCov = Fixtures.Rotated([0.9, 0.7, 1.5], -1.1);
        double[] pMean = [0.1, -0.2, 0.3], qMean = [0.0, 0.5, -0.4];
        var p = Matrix<double>.Build.DenseOfArray(pCov);
        var q = Matrix<double>.Build.DenseOfArray(qCov);
        var qInv = q.Inverse();
        var gap = Vector<double>.Build.DenseOfArray(qMean) - Vector<double>.Build.DenseOfArray(pMean);
        double textbook = 0.5 * ((qInv * p).Trace() - 3 + Math.Log(q.Determinant() / p.Determinant()) + gap * qInv * gap);
        Assert.Equal(textbook, Law(pMean, pCov).KullbackLeibler(Law(qMean, qCov)), 1e-12);
    }

    [Fact]
    public void KL_resolves_tiny_differences_without_cancellation()
    {
        // P = (1 + e) Q with zero mean gap: KL = (d/2)(e - log(1 + e)) ~ d e^2 / 4, far below the round-off of tr - d - log det.
        const double e = 1e-7;
        var q = Fixtures.Rotated([0.5, 1.2, 2.0], 0.4);
        var p = new double[3, 3];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) p[r, c] = (1 + e) * q[r, c];
        double expected = 1.5 * (e * e / 2 - e * e * e / 3);
        Assert.Equal(expected, Law([0, 0, 0], p).KullbackLeibler(Law([0, 0, 0], q)), 1e-6 * expected);
    }

    [Fact]
    public void W2_of_commuting_covariances_is_the_Frobenius_distance_of_the_square_roots()
    {
        var p = Law([1, 0, 0], Fixtures.Rotated([0.5, 1.2, 2.0], 0.4));
        var q = Law([0, 0, 1], Fixtures.Rotated([0.9, 0.7, 1e-3], 0.4));
        var rootGap = Fixtures.Rotated([Math.Sqrt(0.5) - Math.Sqrt(0.9), Math.Sqrt(1.2) - Math.Sqrt(0.7), Math.Sqrt(2.0) - Math.Sqrt(1e-3)], 0.4);
        double frobenius2 = rootGap.Cast<double>().Sum(v => v * v);
        Assert.Equal(Math.Sqrt(2 + frobenius2), p.Wasserstein2(q), 1e-12);
    }

    [Fact]
    public void W2_is_symmetric_and_agrees_with_the_trace_formula_for_non_commuting_laws()
    {
        var p = Law([0.2, 0.1, 0], Fixtures.Rotated([0.5, 1.2, 2.0], 0.4));
        var q = Law([0, 0, 0.3], Fixtures.Rotated([0.9, 0.7, 1.5], -1.1));
        var pm = Matrix<double>.Build.DenseOfArray(p.Covariance);
        var qm = Matrix<double>.Build.DenseOfArray(q.Covariance);
        var root = Sqrt(qm);
        double trace = pm.Trace() + qm.Trace() - 2 * Sqrt(root * pm * root).Trace();
        double expected = Math.Sqrt(0.04 + 0.01 + 0.09 + trace);
        Assert.Equal(expected, p.Wasserstein2(q), 1e-10);
        Assert.Equal(p.Wasserstein2(q), q.Wasserstein2(p), 1e-10);
    }

    [Fact]
    public void W2_to_a_point_mass_is_the_root_mean_square_distance()
    {
        // A singular target takes the trace-formula branch: W2^2(N(m, P), delta_a) = |m - a|^2 + tr P.
        var p = Law([0.2, -0.1, 0.4], Fixtures.Rotated([0.5, 1.2, 2.0], 0.4));
        var point = Law([1.0, 0.0, 0.0], new double[3, 3]);
        double expected = Math.Sqrt(0.64 + 0.01 + 0.16 + 0.5 + 1.2 + 2.0);
        Assert.Equal(expected, p.Wasserstein2(point), 1e-12);
    }

    [Fact]
    public void Bad_laws_are_rejected_with_the_parameter_named()
    {
        Assert.Equal("covariance", Assert.Throws<ArgumentException>(() => Law([0, 0], new[,] { { 1.0, 0.5 }, { 0.2, 1.0 } })).ParamName);
        Assert.Equal("covariance", Assert.Throws<ArgumentException>(() => Law([0, 0], new[,] { { 1.0, 0.0 } })).ParamName);
        Assert.Equal("mean", Assert.Throws<ArgumentException>(() => Law([double.NaN], new[,] { { 1.0 } })).ParamName);
        var ok = Law([0], new[,] { { 1.0 } });
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => ok.KullbackLeibler(Law([0, 0], Fixtures.Eye(2)))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => ok.KullbackLeibler(Law([0], new[,] { { 0.0 } }))).ParamName);
        Assert.Equal(double.PositiveInfinity, Law([0], new[,] { { 0.0 } }).KullbackLeibler(ok));
    }

    private static Matrix<double> Sqrt(Matrix<double> a)
    {
        var evd = a.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var roots = evd.EigenValues.Select(z => Math.Sqrt(Math.Max(0, z.Real))).ToArray();
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalArray(roots) * evd.EigenVectors.Transpose();
    }
}
