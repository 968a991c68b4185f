using MathNet.Numerics.LinearAlgebra;
using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// A Gaussian law N(Mean, Covariance) in R^d with closed-form divergences to another Gaussian, used to measure a
/// sampler's exact output law against the exact target (THEORY "Exact output laws for Gaussian data").
/// </summary>
/// <param name="Mean">m, finite, length d &gt;= 1.</param>
/// <param name="Covariance">P, d x d, finite and symmetric (stored symmetrised: (P + P^T)/2).</param>
public sealed record GaussianLaw(double[] Mean, double[,] Covariance)
{
    // Entries may differ from their transposes by this much (relative to the largest entry) before P is rejected.
    private const double SymmetryTolerance = 1e-9;

    /// <summary>m (a copy of the argument).</summary>
    public double[] Mean { get; } = CheckMean(Mean);

    /// <summary>P (a symmetrised copy of the argument).</summary>
    public double[,] Covariance { get; } = CheckCovariance(Covariance, Mean);

    /// <summary>d.</summary>
    public int Dimension => Mean.Length;

    /// <summary>
    /// KL(this || target) = (1/2)[tr(P_t^-1 P) - d - log det(P_t^-1 P) + (m_t - m)^T P_t^-1 (m_t - m)].
    /// </summary>
    /// <remarks>Computed without an explicit inverse and without the cancellation of "tr - d - log det": with
    /// P_t = L L^T (Cholesky), the eigenvalues delta_i of L^-1 (P - P_t) L^-T give
    /// KL = (1/2)[sum_i (delta_i - log(1 + delta_i)) + |L^-1 (m_t - m)|^2], and delta - log1p(delta) is summed as a
    /// series for small delta. So KL values down to ~1e-30 are resolved, which weak-order fits on fine grids need.
    /// +infinity when this law is singular (its support is a proper subspace).</remarks>
    /// <exception cref="ArgumentException">dimension mismatch, or the target covariance is not positive definite.</exception>
    public double KullbackLeibler(GaussianLaw target)
    {
        CheckTarget(target);
        var l = Triangular.Cholesky(target.Covariance)
            ?? throw new ArgumentException("target covariance must be positive definite for KL(this || target)", nameof(target));
        int d = Dimension;
        var difference = new double[d, d];
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++) difference[r, c] = Covariance[r, c] - target.Covariance[r, c];
        var whitened = Matrix<double>.Build.DenseOfArray(Triangular.Whiten(l, difference));
        double sum = 0;
        foreach (var delta in whitened.Evd(Symmetricity.Symmetric).EigenValues.Select(z => z.Real))
        {
            if (!(1 + delta > 0)) return double.PositiveInfinity;
            sum += DeltaMinusLog1P(delta);
        }
        var shift = new double[d];
        for (int r = 0; r < d; r++) shift[r] = target.Mean[r] - Mean[r];
        Triangular.SolveLower(l, shift);
        return 0.5 * (sum + shift.Sum(v => v * v));
    }

    /// <summary>
    /// W2(this, target), the 2-Wasserstein distance (not squared):
    /// W2^2 = |m - m_t|^2 + tr(P + P_t - 2 (P_t^{1/2} P P_t^{1/2})^{1/2}).
    /// </summary>
    /// <remarks>When P_t is positive definite the trace term is evaluated as E|X - T X|^2 = tr((I - T) P_t (I - T)^T),
    /// X ~ N(0, P_t), with T = P_t^{-1/2} (P_t^{1/2} P P_t^{1/2})^{1/2} P_t^{-1/2} the optimal transport map onto N(0, P):
    /// a sum of squares, so small distances do not drown in the cancellation of the trace formula (used otherwise).</remarks>
    /// <exception cref="ArgumentException">dimension mismatch.</exception>
    public double Wasserstein2(GaussianLaw target)
    {
        CheckTarget(target);
        var p = Matrix<double>.Build.DenseOfArray(Covariance);
        var pt = Matrix<double>.Build.DenseOfArray(target.Covariance);
        var meanGap = Vector<double>.Build.DenseOfArray(Mean) - Vector<double>.Build.DenseOfArray(target.Mean);
        var evd = pt.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(z => Math.Max(0.0, z.Real)).ToArray();
        var v = evd.EigenVectors;
        var root = v * Matrix<double>.Build.DiagonalOfDiagonalArray(values.Select(Math.Sqrt).ToArray()) * v.Transpose();
        var inner = SymmetricSqrt(root * p * root);
        double squared;
        if (values.Min() > 1e-300 && values.Min() > 1e-14 * values.Max())
        {
            var inverseRoot = v * Matrix<double>.Build.DiagonalOfDiagonalArray(values.Select(x => 1 / Math.Sqrt(x)).ToArray()) * v.Transpose();
            var gap = Matrix<double>.Build.DenseIdentity(Dimension) - inverseRoot * inner * inverseRoot;
            squared = (gap * pt * gap.Transpose()).Trace();
        }
        else
        {
            squared = Math.Max(0.0, p.Trace() + pt.Trace() - 2 * inner.Trace());
        }
        return Math.Sqrt(meanGap.DotProduct(meanGap) + squared);
    }

    private static Matrix<double> SymmetricSqrt(Matrix<double> a)
    {
        var evd = (0.5 * (a + a.Transpose())).Evd(Symmetricity.Symmetric);
        var roots = evd.EigenValues.Select(z => Math.Sqrt(Math.Max(0.0, z.Real))).ToArray();
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalArray(roots) * evd.EigenVectors.Transpose();
    }

    /// <summary>delta - log(1 + delta) &gt;= 0, by its alternating series delta^2/2 - delta^3/3 + ... for |delta| &lt; 0.05.</summary>
    private static double DeltaMinusLog1P(double delta)
    {
        if (Math.Abs(delta) >= 0.05) return delta - Numeric.Log1P(delta);
        double sum = 0, power = delta;
        for (int k = 2; k <= 14; k++)
        {
            power *= delta;
            sum += (k % 2 == 0 ? 1.0 : -1.0) * power / k;
        }
        return sum;
    }

    private void CheckTarget(GaussianLaw target)
    {
        Check.NotNull(target, nameof(target));
        if (target.Dimension != Dimension)
            throw new ArgumentException($"target must have dimension {Dimension} (this law's), got {target.Dimension}", nameof(target));
    }

    private static double[] CheckMean(double[] mean)
    {
        Check.NotNull(mean, nameof(mean));
        if (mean.Length == 0) throw new ArgumentException("mean must have length >= 1, got an empty array", nameof(mean));
        Check.AllFinite(mean, nameof(mean));
        return (double[])mean.Clone();
    }

    private static double[,] CheckCovariance(double[,] covariance, double[] mean)
    {
        Check.NotNull(covariance, nameof(covariance));
        int d = mean.Length;
        if (covariance.GetLength(0) != d || covariance.GetLength(1) != d)
            throw new ArgumentException($"covariance must be {d}x{d} (the mean's length), got {covariance.GetLength(0)}x{covariance.GetLength(1)}", nameof(covariance));
        double scale = 0;
        foreach (var v in covariance)
        {
            if (!double.IsFinite(v)) throw new ArgumentException($"covariance entries must be finite, got {v}", nameof(covariance));
            scale = Math.Max(scale, Math.Abs(v));
        }
        var symmetric = new double[d, d];
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++)
            {
                if (Math.Abs(covariance[r, c] - covariance[c, r]) > SymmetryTolerance * scale)
                    throw new ArgumentException($"covariance must be symmetric: [{r},{c}] = {covariance[r, c]} but [{c},{r}] = {covariance[c, r]}", nameof(covariance));
                symmetric[r, c] = 0.5 * (covariance[r, c] + covariance[c, r]);
            }
        return symmetric;
    }
}
