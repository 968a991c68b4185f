using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// The exact Gaussian-mixture oracle of Theory's <c>MixtureOracle</c> (THEORY section 2) on a batch of points
/// x [n, d] as tensors: responsibilities r_k, score s = sum_k r_k a_k with a_k = -C_k^{-1}(x - alpha mu_k),
/// posterior mean E[x0|x] = sum_k r_k (mu_k + alpha S_k C_k^{-1}(x - alpha mu_k)) and eps* = -sigma s (C4.2/C4.3),
/// with C_k = alpha^2 S_k + sigma^2 I.
/// </summary>
/// <remarks>
/// Each S_k = U_k diag(l_k) U_k^T is diagonalised once (by Theory), so at every t the solve is a division by
/// c_kj = alpha^2 l_kj + sigma^2 in the eigenbasis, and responsibilities come from a log-sum-exp (softmax) over
/// components. When every component is diagonal (isotropic included) a specialised pass runs instead
/// (<see cref="UsesDiagonalPass"/>): the log terms and sums as two matrix products, no rotation, no [n, K, d]
/// intermediate. Works in float64 or float32 on any device; the constants live on that device for the oracle's
/// lifetime (detached from every dispose scope, freed by <see cref="Dispose"/>).
/// </remarks>
public sealed class TensorMixtureOracle : IDisposable
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private readonly Tensor eigenvectors;   // U [K, d, d], U[k, r, j]
    private readonly Tensor eigenvalues;    // l [K, d]
    private readonly Tensor rotatedMeans;   // U_k^T mu_k [K, d]
    private readonly Tensor means;          // mu [K, d]
    private readonly Tensor logWeights;     // log w [K]
    private readonly Tensor labels;         // class label of each component [K] (int64)
    private readonly double minEigenvalue;
    private readonly DiagonalMixturePass? diagonal;
    private bool disposed;

    /// <summary>The oracle of <paramref name="mixture"/> under <paramref name="schedule"/>.</summary>
    /// <param name="mixture">the data law p_0.</param>
    /// <param name="schedule">the noise schedule.</param>
    /// <param name="device">where tensors live; null for <see cref="TorchRuntime.DefaultDevice"/>.</param>
    /// <param name="dtype">float64 (default, the verification dtype) or float32.</param>
    public TensorMixtureOracle(GaussianMixture mixture, Schedule schedule, Device? device = null, ScalarType dtype = ScalarType.Float64)
        : this(mixture, schedule, device, dtype, allowDiagonalPass: true)
    {
    }

    /// <summary>With <paramref name="allowDiagonalPass"/> false the general (rotated) pass runs for every mixture:
    /// the tests compare the two passes on diagonal mixtures.</summary>
    internal TensorMixtureOracle(GaussianMixture mixture, Schedule schedule, Device? device, ScalarType dtype, bool allowDiagonalPass)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        ArgumentNullException.ThrowIfNull(schedule);
        TensorChecks.FloatingType(dtype, nameof(dtype));
        Mixture = mixture;
        Schedule = schedule;
        Device = device ?? TorchRuntime.DefaultDevice();
        DType = dtype;
        int k = mixture.Count, d = mixture.Dimension;
        var u = new double[k * d * d];
        var l = new double[k * d];
        var mu = new double[k * d];
        var rotated = new double[k * d];
        var lw = new double[k];
        var lab = new long[k];
        minEigenvalue = double.PositiveInfinity;
        for (int i = 0; i < k; i++)
        {
            var ui = mixture.ComponentEigenvectors(i);
            var li = mixture.ComponentEigenvalues(i);
            var mi = mixture.Mean(i);
            Array.Copy(ui, 0, u, i * d * d, d * d);
            Array.Copy(li, 0, l, i * d, d);
            Array.Copy(mi, 0, mu, i * d, d);
            for (int c = 0; c < d; c++)
            {
                double acc = 0;
                for (int r = 0; r < d; r++) acc += ui[r * d + c] * mi[r];
                rotated[i * d + c] = acc;
                minEigenvalue = Math.Min(minEigenvalue, li[c]);
            }
            lw[i] = Math.Log(mixture.Weight(i));
            lab[i] = mixture.Label(i);
        }
        eigenvectors = Constant(u, [k, d, d]);
        eigenvalues = Constant(l, [k, d]);
        means = Constant(mu, [k, d]);
        rotatedMeans = Constant(rotated, [k, d]);
        logWeights = Constant(lw, [k]);
        labels = tensor(lab, [k], ScalarType.Int64, Device).DetachFromDisposeScope();
        if (allowDiagonalPass && DiagonalMixturePass.Applies(mixture)) diagonal = new DiagonalMixturePass(mixture, Constant);
    }

    /// <summary>True when every component covariance is diagonal and the specialised pass (two matrix products per
    /// evaluation, no rotation) computes the results; false for the general rotated pass.</summary>
    public bool UsesDiagonalPass => diagonal is not null;

    /// <summary>The data law.</summary>
    public GaussianMixture Mixture { get; }

    /// <summary>The schedule.</summary>
    public Schedule Schedule { get; }

    /// <summary>The device the oracle computes on.</summary>
    public Device Device { get; }

    /// <summary>The floating-point type of inputs and outputs.</summary>
    public ScalarType DType { get; }

    /// <summary>d.</summary>
    public int Dimension => Mixture.Dimension;

    /// <summary>Responsibilities r_k(x) = w_k N(x; alpha mu_k, C_k) / p_t(x), shape [n, K].</summary>
    public Tensor Responsibilities(Tensor x, double t)
    {
        using var scope = NewDisposeScope();
        var r = diagonal is null ? Evaluate(x, t, null).Resp : DiagonalMixturePass.Responsibilities(DiagonalTerms(x, t, null));
        return r.MoveToOuterDisposeScope();
    }

    /// <summary>log p_t(x), shape [n].</summary>
    public Tensor LogDensity(Tensor x, double t)
    {
        using var scope = NewDisposeScope();
        if (diagonal is null) return Evaluate(x, t, null).LogDensity.MoveToOuterDisposeScope();
        var (alpha, sigma) = Checked(x, t);
        return diagonal.DirectLogDensity(x, alpha, sigma).MoveToOuterDisposeScope();
    }

    /// <summary>grad log p_t(x) = -sum_k r_k U_k z_k, shape [n, d].</summary>
    public Tensor Score(Tensor x, double t) => Score(x, t, null);

    /// <summary>E[eps | x_t = x] = -sigma(t) grad log p_t(x) (C4.2/C4.3).</summary>
    public Tensor ExpectedNoise(Tensor x, double t) => ExpectedNoise(x, t, null);

    /// <summary>E[x0 | x_t = x] = sum_k r_k (mu_k + alpha U_k (l_k z_k)), from the posterior mixture (not Tweedie).</summary>
    public Tensor PosteriorMean(Tensor x, double t) => PosteriorMean(x, t, null);

    /// <summary>
    /// Class-conditional score grad log p_t(x | c_i) row by row (THEORY section 6): only components labelled c_i
    /// enter the log-sum-exp. A label of -1 means "no condition" (the unconditional score).
    /// </summary>
    /// <param name="x">points [n, d].</param>
    /// <param name="t">time in the schedule's domain with sigma(t) &gt; 0 unless every S_k is non-singular.</param>
    /// <param name="classes">int64 [n], each -1 or a class label of the mixture; null for unconditional.</param>
    public Tensor Score(Tensor x, double t, Tensor? classes)
    {
        using var scope = NewDisposeScope();
        if (diagonal is not null) return DiagonalMixturePass.Score(DiagonalTerms(x, t, classes)).MoveToOuterDisposeScope();
        var e = Evaluate(x, t, classes);
        return (-einsum("nk,krj,nkj->nr", e.Resp, eigenvectors, e.Z)).MoveToOuterDisposeScope();
    }

    /// <summary>Class-conditional eps*: E[eps | x_t = x, c] = -sigma grad log p_t(x | c) (C6.3; -1 = null condition).</summary>
    public Tensor ExpectedNoise(Tensor x, double t, Tensor? classes)
    {
        using var scope = NewDisposeScope();
        double sigma = Schedule.Sigma(t);
        return Score(x, t, classes).TimesInPlace(-sigma).MoveToOuterDisposeScope();
    }

    /// <summary>Class-conditional posterior mean E[x0 | x_t = x, c] (-1 = null condition).</summary>
    public Tensor PosteriorMean(Tensor x, double t, Tensor? classes)
    {
        using var scope = NewDisposeScope();
        if (diagonal is not null) return diagonal.PosteriorMean(DiagonalTerms(x, t, classes)).MoveToOuterDisposeScope();
        var e = Evaluate(x, t, classes);
        var shift = einsum("nk,krj,nkj->nr", e.Resp, eigenvectors, e.Z * eigenvalues.unsqueeze(0)).TimesInPlace(e.Alpha);
        return matmul(e.Resp, means).Plus(shift).MoveToOuterDisposeScope();
    }

    /// <summary>Classifier-free guided noise (C6.3): eps_w = eps(x, t, null) + w (eps(x, t, c) - eps(x, t, null)).</summary>
    public Tensor GuidedNoise(Tensor x, double t, Tensor classes, double w)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (!double.IsFinite(w)) throw new ArgumentOutOfRangeException(nameof(w), w, "w must be finite");
        using var scope = NewDisposeScope();
        var uncond = ExpectedNoise(x, t, null);
        var cond = ExpectedNoise(x, t, classes);
        return uncond.Plus((cond - uncond).Times(w)).MoveToOuterDisposeScope();
    }

    private readonly record struct Pass(double Alpha, Tensor Z, Tensor Resp, Tensor LogDensity);

    /// <summary>The argument checks every evaluation makes; returns alpha(t), sigma(t).</summary>
    private (double Alpha, double Sigma) Checked(Tensor x, double t)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        TensorChecks.Batch(x, Dimension, DType, Device, nameof(x));
        Schedule.CheckTime(nameof(t), t);
        double alpha = Schedule.Alpha(t), sigma = Schedule.Sigma(t);
        if (!(alpha * alpha * minEigenvalue + sigma * sigma > 0))
            throw new ArgumentOutOfRangeException(nameof(t), t,
                $"t = {t} makes the noised data singular (sigma(t) = {sigma} and a component covariance is singular); use a t with sigma(t) > 0");
        return (alpha, sigma);
    }

    /// <summary>Which components each row may use [n, K]: all for label -1, those labelled c_i otherwise; null for none.</summary>
    private Tensor? Keep(Tensor? classes, long n)
    {
        if (classes is null) return null;
        TensorChecks.Classes(classes, n, Mixture.ClassCount, nameof(classes));
        var c2 = classes.to(Device).unsqueeze(1);
        return c2.LessThan(0L).logical_or(labels.unsqueeze(0) == c2);
    }

    private DiagonalMixturePass.Terms DiagonalTerms(Tensor x, double t, Tensor? classes)
    {
        var (alpha, sigma) = Checked(x, t);
        return diagonal!.Evaluate(x, alpha, sigma, Keep(classes, x.shape[0])?.t());
    }

    /// <summary>The general per-component pass: c = alpha^2 l + sigma^2, y = U^T x - alpha U^T mu, z = y / c, log terms, softmax.</summary>
    private Pass Evaluate(Tensor x, double t, Tensor? classes)
    {
        var (alpha, sigma) = Checked(x, t);
        var c = DiagonalMixturePass.NoisedVariances(eigenvalues, alpha, sigma);  // [K, d]
        var y = einsum("nr,krj->nkj", x, eigenvectors) - rotatedMeans.unsqueeze(0).Times(alpha); // [n, K, d]
        var z = y / c.unsqueeze(0);
        var logDet = c.log().sum(1);                                              // [K]
        var quad = (y * z).sum(2);                                                // [n, K]
        var logTerms = (logWeights - logDet.Plus(Dimension * Log2Pi).Times(0.5)).unsqueeze(0) - quad.Times(0.5);
        if (Keep(classes, x.shape[0]) is { } keep) logTerms = logTerms.MaskedFill(keep.logical_not(), double.NegativeInfinity);
        var logP = logTerms.logsumexp(1);
        var resp = (logTerms - logP.unsqueeze(1)).exp();
        return new Pass(alpha, z, resp, logP);
    }

    private Tensor Constant(double[] values, long[] shape) =>
        tensor(values, shape, ScalarType.Float64).to(DType, Device).DetachFromDisposeScope();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in new[] { eigenvectors, eigenvalues, rotatedMeans, means, logWeights, labels }) t.Dispose();
        diagonal?.Dispose();
    }
}
