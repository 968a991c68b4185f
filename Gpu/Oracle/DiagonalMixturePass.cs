using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// The tensor oracle's evaluation when every component covariance is diagonal (S_k = diag(l_k); isotropic is the case
/// l_kj = v_k): no rotation and no [n, K, d] intermediate. With C_kj = alpha^2 l_kj + sigma^2 and m_k = alpha mu_k,
/// the log terms expand as
///   log w_k N(x; m_k, C_k) = h_k + sum_j (g_kj x_j - x_j^2 / (2 C_kj)),  g_kj = m_kj / C_kj,
///   h_k = log w_k - (1/2) sum_j (log(2 pi C_kj) + m_kj^2 / C_kj),
/// one matrix product, and every sum over components (the score s = r g - x * (r / C), the posterior mean) is one
/// more. Work is laid out component-major, [K, n]: libtorch reduces over a leading axis of 8 far faster than over a
/// trailing one (a logsumexp over the last axis of [n, 8] costs as much as the whole step otherwise).
/// When every C_kj is the same number the x_j^2 terms are common to all k and cancel in the responsibilities: they
/// are dropped, which halves the first product and keeps far-away points accurate.
/// </summary>
internal sealed class DiagonalMixturePass : IDisposable
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private readonly Tensor eigenvalues; // l [K, d]
    private readonly Tensor means;       // mu [K, d]
    private readonly Tensor logWeights;  // log w [K]
    private readonly bool equalVariances;

    public DiagonalMixturePass(GaussianMixture mixture, Func<double[], long[], Tensor> constant)
    {
        int k = mixture.Count, d = mixture.Dimension;
        var l = Enumerable.Range(0, k).SelectMany(mixture.ComponentEigenvalues).ToArray();
        eigenvalues = constant(l, [k, d]);
        means = constant(Enumerable.Range(0, k).SelectMany(mixture.Mean).ToArray(), [k, d]);
        logWeights = constant(Enumerable.Range(0, k).Select(c => Math.Log(mixture.Weight(c))).ToArray(), [k]);
        equalVariances = l.All(v => v == l[0]);
    }

    /// <summary>c = alpha^2 l + sigma^2: the eigenvalues of the noised covariances C_k = alpha^2 S_k + sigma^2 I
    /// (the general pass uses it too).</summary>
    public static Tensor NoisedVariances(Tensor eigenvalues, double alpha, double sigma) => eigenvalues.Times(alpha * alpha).Plus(sigma * sigma);

    /// <summary>True when <paramref name="mixture"/> has only diagonal components (this pass applies).</summary>
    public static bool Applies(GaussianMixture mixture) => Enumerable.Range(0, mixture.Count).All(mixture.ComponentIsDiagonal);

    /// <summary>One evaluation at time t: E = exp(l - max_k l) [K, n], Total = sum_k E [n] (the class mask applied
    /// before the normalisation), 1/C and g [K, d]. Log p_t is not formed here (<see cref="DirectLogDensity"/> is its
    /// one home): the score and the posterior mean never need it.</summary>
    /// <remarks>Xt = x^T [d, n], contiguous: elementwise work on transposed views is several times slower in libtorch.</remarks>
    public readonly record struct Terms(Tensor Xt, Tensor E, Tensor Total, Tensor Inverse, Tensor Gradient, double Alpha);

    /// <summary>The log terms component-major, the class mask applied (keep [K, n] or null), then the normalisers;
    /// [K, n] work in place.</summary>
    public Terms Evaluate(Tensor x, double alpha, double sigma, Tensor? keep)
    {
        var c = NoisedVariances(eigenvalues, alpha, sigma);             // [K, d]
        var inv = c.reciprocal();
        var m = means.Times(alpha);
        var g = m * inv;                                                 // [K, d]
        var h = (logWeights - c.log().Plus(Log2Pi).Plus(m * g).sum(1).Times(0.5)).unsqueeze(1); // [K, 1]
        var xt = x.t().contiguous();                                     // [d, n]
        var logTerms = equalVariances
            ? matmul(g, xt).PlusInPlace(h)                               // [K, n]; the common -|x|^2 / (2C) cancels
            : matmul(cat([g, inv.Times(-0.5)], 1), cat([xt, xt * xt], 0)).PlusInPlace(h);
        if (keep is not null) logTerms = logTerms.MaskedFillInPlace(keep.logical_not(), double.NegativeInfinity);
        var max = logTerms.amax([0], keepdim: true);                     // [1, n]
        var e = logTerms.sub_(max).exp_();
        var total = e.sum(dim: 0L);                                      // [n]
        return new Terms(xt, e, total, inv, g, alpha);
    }

    /// <summary>Log p_t [n] in the direct form log sum_k exp(h'_k - sum_j (x_j - m_kj)^2 / (2 C_kj)), through an
    /// [n, K, d] intermediate: the expanded form's large cancelling terms (|x|^2 / C at small sigma) would cost
    /// absolute accuracy in log p_t itself (not in the responsibilities or the score).</summary>
    public Tensor DirectLogDensity(Tensor x, double alpha, double sigma)
    {
        var c = NoisedVariances(eigenvalues, alpha, sigma);
        var diff = x.unsqueeze(1) - means.Times(alpha).unsqueeze(0); // [n, K, d]
        var terms = (logWeights - c.log().Plus(Log2Pi).sum(1).Times(0.5)).unsqueeze(0) - (diff * diff / c.unsqueeze(0)).sum(2).Times(0.5);
        return terms.logsumexp(1);
    }

    /// <summary>Responsibilities [n, K].</summary>
    public static Tensor Responsibilities(Terms terms) => (terms.E / terms.Total).t().contiguous();

    /// <summary>grad log p_t = (E^T g - x * (E^T / C)) / Total: one product for both sums.</summary>
    public static Tensor Score(Terms terms)
    {
        int d = (int)terms.Xt.shape[0];
        var sums = matmul(cat([terms.Gradient, terms.Inverse], 1).t(), terms.E); // [2d, n]
        return sums.narrow(0, 0, d).PlusScaledProduct(terms.Xt, sums.narrow(0, d, d), -1).div_(terms.Total).t().contiguous();
    }

    /// <summary>E[x0 | x] = r mu + alpha (x * (r (l/C)) - r (l g)): the posterior mixture's mean.</summary>
    public Tensor PosteriorMean(Terms terms)
    {
        int d = (int)terms.Xt.shape[0];
        var sums = matmul(cat([means, eigenvalues * terms.Inverse, eigenvalues * terms.Gradient], 1).t(), terms.E) / terms.Total; // [3d, n]
        return sums.narrow(0, 0, d).Plus((terms.Xt * sums.narrow(0, d, d) - sums.narrow(0, 2 * d, d)).Times(terms.Alpha)).t().contiguous();
    }

    public void Dispose()
    {
        eigenvalues.Dispose();
        means.Dispose();
        logWeights.Dispose();
    }
}
