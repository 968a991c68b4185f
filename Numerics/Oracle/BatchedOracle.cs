using System.Numerics;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;
using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// The exact mixture score evaluated for a whole block of points at once, laid out as structure of arrays
/// (one span per coordinate), with SIMD arithmetic and vectorised exp. The same mathematics as
/// <see cref="MixtureOracle.Score"/> (THEORY section 2: s = sum_k r_k a_k, r_k by log-sum-exp), organised for
/// throughput: Monte Carlo studies and the performance benchmarks sample millions of points with it.
/// </summary>
/// <remarks>Isotropic components (S_k = v_k I, the common case of rings and point masses) skip the eigenbasis
/// rotation: cost O(K d) per point instead of O(K d^2). Instances are immutable and thread-safe; each call works
/// in caller-provided or per-call scratch.</remarks>
public sealed class BatchedOracle
{
    private readonly int d, k;
    private readonly double[] logWeights;
    private readonly double[][] means;        // [k][d]
    private readonly double[][] rotatedMeans; // [k][d], U_k^T mu_k
    private readonly double[][] eigenvalues;  // [k][d]
    private readonly double[][] rotations;    // [k][d*d], row-major U_k
    private readonly double[]? isotropicVariances; // [k] when every S_k = v_k I

    /// <summary>Prepares the mixture for batched evaluation under a schedule.</summary>
    public BatchedOracle(GaussianMixture mixture, Schedule schedule)
    {
        Check.NotNull(mixture, nameof(mixture));
        Check.NotNull(schedule, nameof(schedule));
        Mixture = mixture;
        Schedule = schedule;
        d = mixture.Dimension;
        k = mixture.Count;
        logWeights = Enumerable.Range(0, k).Select(i => Math.Log(mixture.Weight(i))).ToArray();
        means = Enumerable.Range(0, k).Select(mixture.Mean).ToArray();
        eigenvalues = Enumerable.Range(0, k).Select(mixture.ComponentEigenvalues).ToArray();
        isotropicVariances = Enumerable.Range(0, k).All(c => mixture.ComponentIsDiagonal(c) && IsConstant(eigenvalues[c]))
            ? eigenvalues.Select(l => l[0]).ToArray()
            : null;
        // Rotations only for the general path: the isotropic one never rotates (and d x d identities at d = 1024, K = 256 would be 2 GB).
        rotations = isotropicVariances is null ? Enumerable.Range(0, k).Select(mixture.ComponentEigenvectors).ToArray() : [];
        rotatedMeans = isotropicVariances is null ? Enumerable.Range(0, k).Select(c => Rotate(rotations[c], means[c])).ToArray() : [];
    }

    /// <summary>The data law.</summary>
    public GaussianMixture Mixture { get; }

    /// <summary>The schedule.</summary>
    public Schedule Schedule { get; }

    /// <summary>d.</summary>
    public int Dimension => d;

    /// <summary>True when every component is isotropic (the O(K d) path is used).</summary>
    public bool IsIsotropic => isotropicVariances is not null;

    /// <summary>
    /// Writes grad log p_t at each point of the block into <paramref name="score"/>. Points are columns:
    /// x[j][i] is coordinate j of point i; every span has the same length n.
    /// </summary>
    public void Score(double t, ReadOnlySpan<double[]> x, Span<double[]> score, int offset, int count, Workspace workspace)
    {
        Schedule.CheckTime(nameof(t), t);
        Check.NotNull(workspace, nameof(workspace));
        if (count > workspace.Capacity)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be <= the workspace capacity {workspace.Capacity}, got {count}");
        double alpha = Schedule.Alpha(t), sigma = Schedule.Sigma(t);
        var logTerms = workspace.LogTerms;
        if (isotropicVariances is { } v) IsotropicLogTerms(alpha, sigma, v, x, offset, count, logTerms);
        else FullLogTerms(alpha, sigma, x, offset, count, logTerms, workspace.Scratch);
        Responsibilities(logTerms, count, workspace);
        if (isotropicVariances is { } v2) IsotropicScore(alpha, sigma, v2, x, offset, count, logTerms, score);
        else FullScore(alpha, sigma, x, offset, count, logTerms, score, workspace.Scratch);
    }

    /// <summary>
    /// The fused update x &lt;- a x + b grad log p_t(x) for a block (DDIM, DPM-Solver-1 and Euler steps all have this
    /// form with the exact score). Isotropic mixtures run an in-register kernel: one pass over the block, all K
    /// components per SIMD group, vectorised exp; otherwise <see cref="Score"/> followed by the affine update.
    /// </summary>
    public void AffineScoreStep(double t, double a, double b, double[][] x, double[][] scoreScratch, int offset, int count, Workspace workspace)
    {
        Schedule.CheckTime(nameof(t), t);
        if (isotropicVariances is not { } v)
        {
            Score(t, x, scoreScratch, offset, count, workspace);
            for (int j = 0; j < d; j++)
            {
                var xj = x[j].AsSpan(offset, count);
                TensorPrimitives.Multiply(xj, a, xj);
                TensorPrimitives.MultiplyAdd(scoreScratch[j].AsSpan(offset, count), b, xj, xj);
            }
            return;
        }
        double alpha = Schedule.Alpha(t), sigma = Schedule.Sigma(t);
        // l_k = log w_k - d/2 log(2 pi C_k) - |x - m_k|^2 / (2 C_k), m_k = alpha mu_k, C_k = alpha^2 v_k + sigma^2, expanded
        // as h_k + x.g_k + q_k |x|^2 (g_k = m_k / C_k): d + 1 multiply-adds per component instead of 2d + 1. With equal
        // C_k the |x|^2 term is common to all k and cancels in the responsibilities, so it is dropped (q = 0): no
        // large common term to round, which keeps points far from every mode accurate.
        var p = new IsotropicStepConstants(k, d);
        bool equal = v.All(vc => vc == v[0]);
        for (int c = 0; c < k; c++)
        {
            double var = alpha * alpha * v[c] + sigma * sigma;
            NoSingular(var, c);
            double inv = 1.0 / var, m2 = 0;
            for (int j = 0; j < d; j++)
            {
                double m = alpha * means[c][j];
                p.Centers[c * d + j] = m;
                p.Gradients[c * d + j] = m * inv;
                m2 += m * m;
            }
            p.Inverse[c] = inv;
            p.Quadratic[c] = equal ? 0 : -0.5 * inv;
            p.Offsets[c] = logWeights[c] - 0.5 * d * Math.Log(2 * Math.PI * var) - 0.5 * inv * m2;
        }
        if (Vector512.IsHardwareAccelerated) IsotropicAffineKernel<Vector512<double>, Lanes512>(a, b, p, x, offset, count);
        else if (Vector256.IsHardwareAccelerated) IsotropicAffineKernel<Vector256<double>, Lanes256>(a, b, p, x, offset, count);
        else IsotropicAffineKernel<Vector<double>, LanesVector>(a, b, p, x, offset, count);
    }

    /// <summary>The SIMD lane width the isotropic kernel runs at on this machine (8 with AVX-512, 4 with AVX2).</summary>
    public static int LaneWidth => Lanes.Width;

    /// <summary>
    /// Exp arguments (log terms minus their maximum, so at most 0) are clamped here. e^-708 = 3e-308 is far below the
    /// round-off of the largest term (e^0 = 1), so no result changes beyond round-off; and .NET's vectorised exp
    /// leaves its vector path for the whole vector (scalar exp per lane) when any lane is beyond 708 in magnitude,
    /// which far components at small t would otherwise trigger on most steps.
    /// </summary>
    private const double ExpFloor = -708.0;

    /// <summary>Per-step constants of the isotropic kernel, component-major: l_k = Offsets_k + x.Gradients_k + Quadratic_k |x|^2.</summary>
    private sealed class IsotropicStepConstants(int k, int d)
    {
        public readonly double[] Offsets = new double[k], Quadratic = new double[k], Inverse = new double[k];
        public readonly double[] Centers = new double[k * d], Gradients = new double[k * d];
    }

    /// <summary>
    /// x &lt;- a x - b (sum_k e_k (x - m_k) / C_k) / (sum_k e_k), e_k = exp(l_k - max_k l_k): the isotropic score step
    /// with all K log terms of one SIMD group in registers. Written once over the lane type; the scalar tail does the
    /// same arithmetic per point.
    /// </summary>
    private void IsotropicAffineKernel<TV, L>(double a, double b, IsotropicStepConstants p, double[][] x, int offset, int count)
        where TV : unmanaged where L : ILanes<TV>
    {
        int width = L.Count, i = offset, end = offset + count;
        double[] h = p.Offsets, q = p.Quadratic, inv = p.Inverse, m = p.Centers, g = p.Gradients;
        Span<TV> logTerms = k <= 64 ? stackalloc TV[k] : new TV[k];
        Span<TV> xs = d <= 64 ? stackalloc TV[d] : new TV[d];
        Span<TV> ss = d <= 64 ? stackalloc TV[d] : new TV[d];
        var av = L.Splat(a);
        var minusB = L.Splat(-b);
        var floor = L.Splat(ExpFloor);
        for (; i <= end - width; i += width)
        {
            var r2 = L.Splat(0);
            for (int j = 0; j < d; j++)
            {
                xs[j] = L.Load(x[j], i);
                r2 = L.MultiplyAdd(xs[j], xs[j], r2);
            }
            var max = L.Splat(double.NegativeInfinity);
            for (int c = 0; c < k; c++)
            {
                var l = L.MultiplyAdd(L.Splat(q[c]), r2, L.Splat(h[c]));
                for (int j = 0; j < d; j++) l = L.MultiplyAdd(xs[j], L.Splat(g[c * d + j]), l);
                logTerms[c] = l;
                max = L.Max(max, l);
            }
            // exps in a pass of their own: the vector exp is a call, and every vector register is caller-saved
            for (int c = 0; c < k; c++) logTerms[c] = L.Exp(L.Max(L.Subtract(logTerms[c], max), floor));
            var total = L.Splat(0);
            ss.Clear();
            for (int c = 0; c < k; c++)
            {
                var e = logTerms[c];
                total = L.Add(total, e);
                var w = L.Multiply(e, L.Splat(inv[c]));
                for (int j = 0; j < d; j++) ss[j] = L.MultiplyAdd(w, L.Subtract(xs[j], L.Splat(m[c * d + j])), ss[j]);
            }
            var scale = L.Divide(minusB, total); // score = -ss / total
            for (int j = 0; j < d; j++) L.Store(L.MultiplyAdd(scale, ss[j], L.Multiply(av, xs[j])), x[j], i);
        }
        Span<double> lt = k <= 256 ? stackalloc double[k] : new double[k];
        Span<double> sc = d <= 256 ? stackalloc double[d] : new double[d];
        for (; i < end; i++) // scalar tail, same arithmetic
        {
            double r2 = 0;
            for (int j = 0; j < d; j++) r2 = Math.FusedMultiplyAdd(x[j][i], x[j][i], r2);
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                double l = Math.FusedMultiplyAdd(q[c], r2, h[c]);
                for (int j = 0; j < d; j++) l = Math.FusedMultiplyAdd(x[j][i], g[c * d + j], l);
                lt[c] = l;
                max = Math.Max(max, l);
            }
            double total = 0;
            sc.Clear();
            for (int c = 0; c < k; c++)
            {
                double e = Math.Exp(Math.Max(lt[c] - max, ExpFloor)), w = e * inv[c];
                total += e;
                for (int j = 0; j < d; j++) sc[j] = Math.FusedMultiplyAdd(w, x[j][i] - m[c * d + j], sc[j]);
            }
            double scale = -b / total;
            for (int j = 0; j < d; j++) x[j][i] = Math.FusedMultiplyAdd(scale, sc[j], a * x[j][i]);
        }
    }

    /// <summary>Scratch for <see cref="Score"/> with room for blocks of up to Capacity points; one per thread.</summary>
    public sealed class Workspace
    {
        /// <summary>Scratch for one oracle and blocks of at most <paramref name="capacity"/> points.</summary>
        public Workspace(BatchedOracle oracle, int capacity)
        {
            Check.NotNull(oracle, nameof(oracle));
            Check.AtLeast(capacity, 1, nameof(capacity));
            Capacity = capacity;
            LogTerms = new double[oracle.k * capacity];
            Max = new double[capacity];
            Total = new double[capacity];
            Scratch = new double[capacity];
        }

        /// <summary>The largest block this workspace serves.</summary>
        public int Capacity { get; }

        internal double[] LogTerms { get; }
        internal double[] Max { get; }
        internal double[] Total { get; }
        internal double[] Scratch { get; }
    }

    /// <summary>Turns log w_k + log N_k (component-major, count per component) into responsibilities, in place.</summary>
    private void Responsibilities(double[] logTerms, int count, Workspace workspace)
    {
        var max = workspace.Max.AsSpan(0, count);
        logTerms.AsSpan(0, count).CopyTo(max);
        for (int c = 1; c < k; c++) TensorPrimitives.Max(max, logTerms.AsSpan(c * count, count), max);
        var total = workspace.Total.AsSpan(0, count);
        total.Clear();
        for (int c = 0; c < k; c++)
        {
            var row = logTerms.AsSpan(c * count, count);
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Add(total, row, total);
        }
        for (int c = 0; c < k; c++)
        {
            var row = logTerms.AsSpan(c * count, count);
            TensorPrimitives.Divide(row, total, row);
        }
    }

    private void IsotropicLogTerms(double alpha, double sigma, double[] variances, ReadOnlySpan<double[]> x, int offset, int count, double[] logTerms)
    {
        for (int c = 0; c < k; c++)
        {
            double var = alpha * alpha * variances[c] + sigma * sigma;
            NoSingular(var, c);
            double constant = logWeights[c] - 0.5 * d * Math.Log(2 * Math.PI * var);
            double half = -0.5 / var;
            var row = logTerms.AsSpan(c * count, count);
            row.Fill(0);
            for (int j = 0; j < d; j++)
                AccumulateSquaredDistance(x[j].AsSpan(offset, count), alpha * means[c][j], row);
            // row = constant + half * |x - alpha mu|^2
            TensorPrimitives.Multiply(row, half, row);
            TensorPrimitives.Add(row, constant, row);
        }
    }

    private void IsotropicScore(double alpha, double sigma, double[] variances, ReadOnlySpan<double[]> x, int offset, int count, double[] resp, Span<double[]> score)
    {
        for (int j = 0; j < d; j++)
        {
            var sj = score[j].AsSpan(offset, count);
            var xj = x[j].AsSpan(offset, count);
            sj.Clear();
            for (int c = 0; c < k; c++)
            {
                double inv = 1.0 / (alpha * alpha * variances[c] + sigma * sigma);
                // s_j -= r_c (x_j - alpha mu_cj) / c_c
                SubtractWeightedResidual(xj, alpha * means[c][j], inv, resp.AsSpan(c * count, count), sj);
            }
        }
    }

    private void FullLogTerms(double alpha, double sigma, ReadOnlySpan<double[]> x, int offset, int count, double[] logTerms, double[] scratch)
    {
        var y = scratch.AsSpan(0, count);
        for (int c = 0; c < k; c++)
        {
            var row = logTerms.AsSpan(c * count, count);
            row.Fill(0);
            double logDet = 0;
            for (int j = 0; j < d; j++)
            {
                double var = alpha * alpha * eigenvalues[c][j] + sigma * sigma;
                NoSingular(var, c);
                logDet += Math.Log(var);
                RotatedCoordinate(c, j, alpha, x, offset, count, y);
                // row += y^2 / var
                TensorPrimitives.Multiply(y, y, y);
                TensorPrimitives.MultiplyAdd(y, 1.0 / var, row, row);
            }
            double constant = logWeights[c] - 0.5 * (d * Math.Log(2 * Math.PI) + logDet);
            TensorPrimitives.Multiply(row, -0.5, row);
            TensorPrimitives.Add(row, constant, row);
        }
    }

    private void FullScore(double alpha, double sigma, ReadOnlySpan<double[]> x, int offset, int count, double[] resp, Span<double[]> score, double[] scratch)
    {
        for (int j = 0; j < d; j++) score[j].AsSpan(offset, count).Clear();
        var z = scratch.AsSpan(0, count);
        for (int c = 0; c < k; c++)
        {
            var r = resp.AsSpan(c * count, count);
            var u = rotations[c];
            for (int j = 0; j < d; j++)
            {
                double var = alpha * alpha * eigenvalues[c][j] + sigma * sigma;
                RotatedCoordinate(c, j, alpha, x, offset, count, z);
                // z = r_c * y_j / var: this component's weighted eigen-coordinate of C^{-1}(x - alpha mu)
                TensorPrimitives.Multiply(z, r, z);
                for (int row = 0; row < d; row++)
                    TensorPrimitives.MultiplyAdd(z, -u[row * d + j] / var, score[row].AsSpan(offset, count), score[row].AsSpan(offset, count));
            }
        }
    }

    /// <summary>y = (U_c^T x)_j - alpha (U_c^T mu_c)_j for the block.</summary>
    private void RotatedCoordinate(int c, int j, double alpha, ReadOnlySpan<double[]> x, int offset, int count, Span<double> y)
    {
        var u = rotations[c];
        y.Fill(-alpha * rotatedMeans[c][j]);
        for (int r = 0; r < d; r++)
            TensorPrimitives.MultiplyAdd(x[r].AsSpan(offset, count), u[r * d + j], y, y);
    }

    private static void AccumulateSquaredDistance(ReadOnlySpan<double> xj, double center, Span<double> acc)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var cv = new Vector<double>(center);
            for (; i <= xj.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var diff = new Vector<double>(xj[i..]) - cv;
                (new Vector<double>(acc[i..]) + diff * diff).CopyTo(acc[i..]);
            }
        }
        for (; i < xj.Length; i++) { double diff = xj[i] - center; acc[i] += diff * diff; }
    }

    private static void SubtractWeightedResidual(ReadOnlySpan<double> xj, double center, double inv, ReadOnlySpan<double> r, Span<double> s)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var cv = new Vector<double>(center);
            var iv = new Vector<double>(inv);
            for (; i <= xj.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var term = new Vector<double>(r[i..]) * (new Vector<double>(xj[i..]) - cv) * iv;
                (new Vector<double>(s[i..]) - term).CopyTo(s[i..]);
            }
        }
        for (; i < xj.Length; i++) s[i] -= r[i] * (xj[i] - center) * inv;
    }

    private static void NoSingular(double variance, int component)
    {
        if (!(variance > 0))
            throw new ArgumentOutOfRangeException("t", $"component {component} is singular at this t (sigma(t) = 0 and a singular covariance); use a t with sigma(t) > 0");
    }

    private static double[] Rotate(double[] u, double[] v)
    {
        int n = v.Length;
        var result = new double[n];
        for (int j = 0; j < n; j++)
            for (int r = 0; r < n; r++) result[j] += u[r * n + j] * v[r];
        return result;
    }

    private static bool IsConstant(double[] values) => values.All(v => v == values[0]);
}
