using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;
using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// The exact mixture score grad log p_t(x) = -sum_k r_k(x) C_k^{-1} (x - alpha mu_k), C_k = alpha^2 S_k + sigma^2 I,
/// r_k the responsibilities by log-sum-exp (the formula of <see cref="MixtureOracle.Score"/>), evaluated for a block
/// of points at once. Points are columns (structure of arrays): x[j][i] is coordinate j of point i.
/// </summary>
/// <remarks>Isotropic components (S_k = v_k I: rings, point masses) run one fused in-register kernel per block at
/// the widest SIMD lanes the CPU has (<see cref="LaneWidth"/>): cost O(K d) per point. Other mixtures rotate into each
/// component's eigenbasis, O(K d^2), in passes over the block. Every exp is <see cref="KernelExp"/>, whose SIMD and
/// scalar forms return the same bits, and SIMD groups are counted from the block's first point, so a point's result
/// depends only on the point and t, never on its position in the block or the arrays' offsets in memory.
/// Instances are immutable and thread-safe; each thread brings its own <see cref="Workspace"/>.</remarks>
public sealed class BatchedOracle
{
    private readonly int d, k;
    private readonly double[] logWeights;
    private readonly double[][] means;        // [k][d]
    private readonly double[][] rotatedMeans; // [k][d], U_k^T mu_k
    private readonly double[][] eigenvalues;  // [k][d]
    private readonly double[][] rotations;    // [k][d*d], row-major U_k
    private readonly double[]? isotropicVariances; // [k] when every S_k = v_k I
    private readonly bool equalVariances;

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
        equalVariances = isotropicVariances is { } iv && IsConstant(iv);
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

    /// <summary>
    /// Writes grad log p_t at points offset .. offset + count - 1 of the block into the same positions of
    /// <paramref name="score"/>; every span has d columns of equal length.
    /// </summary>
    public void Score(double t, ReadOnlySpan<double[]> x, Span<double[]> score, int offset, int count, Workspace workspace)
    {
        CheckCall(t, offset, count, workspace);
        ScoreUnchecked(t, x, score, offset, count, workspace);
    }

    /// <summary>
    /// The update x &lt;- a x + b grad log p_t(x) for points offset .. offset + count - 1 (DDIM, DPM-Solver-1 and Euler
    /// steps all have this form with the exact score). Isotropic mixtures fuse it into the score kernel (no score is
    /// stored); otherwise the score goes to <paramref name="scoreScratch"/> first.
    /// </summary>
    public void AffineScoreStep(double t, double a, double b, double[][] x, double[][] scoreScratch, int offset, int count, Workspace workspace)
    {
        CheckCall(t, offset, count, workspace);
        if (isotropicVariances is not null)
        {
            IsotropicKernel(t, a, b, x, x, offset, count, workspace);
            return;
        }
        GeneralScore(t, x, scoreScratch, offset, count, workspace);
        for (int j = 0; j < d; j++)
        {
            var xj = x[j].AsSpan(offset, count);
            TensorPrimitives.Multiply(xj, a, xj);
            TensorPrimitives.MultiplyAdd(scoreScratch[j].AsSpan(offset, count), b, xj, xj);
        }
    }

    /// <summary>The SIMD lane width the kernels run at on this machine (8 with AVX-512, 4 with AVX2).</summary>
    public static int LaneWidth => Lanes.Width;

    /// <summary><see cref="Score"/> without the argument checks, for callers that validated t and the sizes once at
    /// their own public boundary (<see cref="OracleModel.Predict"/>).</summary>
    internal void ScoreUnchecked(double t, ReadOnlySpan<double[]> x, Span<double[]> score, int offset, int count, Workspace workspace)
    {
        if (isotropicVariances is not null) IsotropicKernel(t, 0.0, 1.0, x, score, offset, count, workspace); // 0 x + 1 score
        else GeneralScore(t, x, score, offset, count, workspace);
    }

    private void CheckCall(double t, int offset, int count, Workspace workspace)
    {
        Schedule.CheckTime(nameof(t), t);
        Check.NotNull(workspace, nameof(workspace));
        Check.AtLeast(offset, 0, nameof(offset));
        if (count > workspace.Capacity)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be <= the workspace capacity {workspace.Capacity}, got {count}");
    }

    private void GeneralScore(double t, ReadOnlySpan<double[]> x, Span<double[]> score, int offset, int count, Workspace workspace)
    {
        double alpha = Schedule.Alpha(t), sigma = Schedule.Sigma(t);
        var logTerms = workspace.LogTerms;
        FullLogTerms(alpha, sigma, x, offset, count, logTerms, workspace.Scratch);
        Responsibilities(logTerms, count, workspace);
        FullScore(alpha, sigma, x, offset, count, logTerms, score, workspace.Scratch);
    }

    /// <summary>
    /// output &lt;- a x + b grad log p_t(x) for an isotropic mixture (output may be x). l_k = log w_k - d/2 log(2 pi C_k)
    /// - |x - m_k|^2 / (2 C_k), m_k = alpha mu_k, C_k = alpha^2 v_k + sigma^2, is expanded as h_k + x.g_k + q_k |x|^2
    /// (g_k = m_k / C_k): d (+ 1) multiply-adds per component instead of 2d + 1. With equal C_k the |x|^2 term is
    /// common to all k and cancels in the responsibilities, so it is dropped: no large common term to round, which
    /// keeps points far from every mode accurate.
    /// </summary>
    private void IsotropicKernel(double t, double a, double b, ReadOnlySpan<double[]> x, Span<double[]> output, int offset, int count, Workspace workspace)
    {
        double alpha = Schedule.Alpha(t), sigma = Schedule.Sigma(t);
        var v = isotropicVariances!;
        var p = workspace.Constants;
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
            p.Quadratic[c] = equalVariances ? 0 : -0.5 * inv;
            p.Offsets[c] = logWeights[c] - 0.5 * d * Math.Log(2 * Math.PI * var) - 0.5 * inv * m2;
        }
        if (Lanes.Width == 8 && Vector512.IsHardwareAccelerated) IsotropicKernel<Vector512<double>, Lanes512>(a, b, p, x, output, offset, count);
        else if (Vector256.IsHardwareAccelerated) IsotropicKernel<Vector256<double>, Lanes256>(a, b, p, x, output, offset, count);
        else IsotropicKernel<Vector<double>, LanesVector>(a, b, p, x, output, offset, count);
    }

    /// <summary>Per-step constants of the isotropic kernel, component-major: l_k = Offsets_k + x.Gradients_k + Quadratic_k |x|^2.</summary>
    internal sealed class IsotropicStepConstants(int k, int d)
    {
        public readonly double[] Offsets = new double[k], Quadratic = new double[k], Inverse = new double[k];
        public readonly double[] Centers = new double[k * d], Gradients = new double[k * d];
    }

    /// <summary>
    /// output &lt;- a x - b (x W - sum_k w_k m_k) / E, w_k = e_k / C_k, W = sum_k w_k, E = sum_k e_k,
    /// e_k = exp(max(l_k - max_k l_k, Floor)) (the score -sum_k e_k (x - m_k) / C_k / E regrouped: d + 2 operations per
    /// component instead of 2d + 1; d with equal C_k, where w_k = e_k and the common 1/C scales the result once).
    /// Written once over the lane type and the variance form; the scalar tail does the same operations per point in
    /// the same order (and <see cref="KernelExp.Scalar"/> the same exp), so it returns the same bits.
    /// </summary>
    private void IsotropicKernel<TV, L>(double a, double b, IsotropicStepConstants p, ReadOnlySpan<double[]> x, Span<double[]> output, int offset, int count)
        where TV : unmanaged where L : ILanes<TV>
    {
        int last = equalVariances
            ? IsotropicGroups<TV, L, EqualVariances>(a, b, p, x, output, offset, count)
            : IsotropicGroups<TV, L, UnequalVariances>(a, b, p, x, output, offset, count);
        IsotropicTail(a, b, p, x, output, last, offset + count);
    }

    /// <summary>Whether the kernel keeps the q_k |x|^2 term (unequal C_k), as a type so that the JIT removes the
    /// branches of the other form from the inner loops.</summary>
    private interface IVarianceForm { static abstract bool Quadratic { get; } }
    private readonly struct EqualVariances : IVarianceForm { public static bool Quadratic => false; }
    private readonly struct UnequalVariances : IVarianceForm { public static bool Quadratic => true; }

    /// <summary>The SIMD groups of the block; returns the first point it left to the scalar tail. k, d and the
    /// per-step constants are read once into locals and by reference (no bounds checks, no reloads in the loops);
    /// the K log terms of a group live in one small stack buffer, overwritten by the weights.</summary>
    private int IsotropicGroups<TV, L, TQ>(double a, double b, IsotropicStepConstants p, ReadOnlySpan<double[]> x, Span<double[]> output, int offset, int count)
        where TV : unmanaged where L : ILanes<TV> where TQ : IVarianceForm
    {
        int width = L.Count, i = offset, end = offset + count, k = this.k, d = this.d;
        ref double h = ref MemoryMarshal.GetArrayDataReference(p.Offsets);
        ref double q = ref MemoryMarshal.GetArrayDataReference(p.Quadratic);
        ref double inv = ref MemoryMarshal.GetArrayDataReference(p.Inverse);
        ref double m = ref MemoryMarshal.GetArrayDataReference(p.Centers);
        ref double g = ref MemoryMarshal.GetArrayDataReference(p.Gradients);
        Span<TV> termBuffer = k <= 64 ? stackalloc TV[k] : new TV[k];
        Span<TV> pointBuffer = d <= 64 ? stackalloc TV[d] : new TV[d];
        ref TV terms = ref MemoryMarshal.GetReference(termBuffer);
        ref TV xs = ref MemoryMarshal.GetReference(pointBuffer);
        var av = L.Splat(a);
        var minusB = L.Splat(-b);
        var minusBOverC = L.Splat(-b * p.Inverse[0]);
        var floor = L.Splat(KernelExp.Floor);
        for (; i <= end - width; i += width)
        {
            var r2 = L.Splat(0);
            for (int j = 0; j < d; j++)
            {
                var v = L.Load(x[j], i);
                Unsafe.Add(ref xs, j) = v;
                if (TQ.Quadratic) r2 = L.MultiplyAdd(v, v, r2);
            }
            var max = L.Splat(double.NegativeInfinity);
            ref double gc = ref g;
            for (int c = 0; c < k; c++, gc = ref Unsafe.Add(ref gc, d))
            {
                var l = TQ.Quadratic ? L.MultiplyAdd(L.Splat(Unsafe.Add(ref q, c)), r2, L.Splat(Unsafe.Add(ref h, c))) : L.Splat(Unsafe.Add(ref h, c));
                for (int j = 0; j < d; j++) l = L.MultiplyAdd(Unsafe.Add(ref xs, j), L.Splat(Unsafe.Add(ref gc, j)), l);
                Unsafe.Add(ref terms, c) = l;
                max = L.Max(max, l);
            }
            var total = L.Splat(0);
            var weights = L.Splat(0);
            for (int c = 0; c < k; c++)
            {
                ref TV term = ref Unsafe.Add(ref terms, c);
                var e = KernelExp.Exp<TV, L>(L.Max(L.Subtract(term, max), floor));
                total = L.Add(total, e);
                if (TQ.Quadratic)
                {
                    var w = L.Multiply(e, L.Splat(Unsafe.Add(ref inv, c)));
                    weights = L.Add(weights, w);
                    term = w;
                }
                else term = e; // equal C_k: w_k = e_k / C is kept as e_k, the common 1/C applied once below
            }
            if (!TQ.Quadratic) weights = total;
            var scale = L.Divide(TQ.Quadratic ? minusB : minusBOverC, total); // score = -(x W - sum w m) / E
            for (int j = 0; j < d; j++)
            {
                var mw = L.Splat(0);
                ref double mc = ref Unsafe.Add(ref m, j);
                for (int c = 0; c < k; c++, mc = ref Unsafe.Add(ref mc, d)) mw = L.MultiplyAdd(Unsafe.Add(ref terms, c), L.Splat(mc), mw);
                var xj = Unsafe.Add(ref xs, j);
                L.Store(L.MultiplyAdd(scale, L.MultiplyAdd(xj, weights, L.Negate(mw)), L.Multiply(av, xj)), output[j], i);
            }
        }
        return i;
    }

    /// <summary>The points from <paramref name="i"/> to <paramref name="end"/> one at a time: the operations of
    /// <see cref="IsotropicGroups{TV, L, TQ}"/> per lane, in the same order.</summary>
    private void IsotropicTail(double a, double b, IsotropicStepConstants p, ReadOnlySpan<double[]> x, Span<double[]> output, int i, int end)
    {
        if (i >= end) return;
        bool quadratic = !equalVariances;
        ref double h = ref MemoryMarshal.GetArrayDataReference(p.Offsets);
        ref double q = ref MemoryMarshal.GetArrayDataReference(p.Quadratic);
        ref double inv = ref MemoryMarshal.GetArrayDataReference(p.Inverse);
        ref double m = ref MemoryMarshal.GetArrayDataReference(p.Centers);
        ref double g = ref MemoryMarshal.GetArrayDataReference(p.Gradients);
        double commonInverse = p.Inverse[0];
        Span<double> lt = k <= 256 ? stackalloc double[k] : new double[k];
        Span<double> xp = d <= 256 ? stackalloc double[d] : new double[d];
        Span<double> ms = d <= 256 ? stackalloc double[d] : new double[d];
        for (; i < end; i++) // scalar tail, same operations
        {
            double r2 = 0;
            for (int j = 0; j < d; j++)
            {
                xp[j] = x[j][i];
                r2 = Math.FusedMultiplyAdd(xp[j], xp[j], r2);
            }
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                double l = quadratic ? Math.FusedMultiplyAdd(Unsafe.Add(ref q, c), r2, Unsafe.Add(ref h, c)) : Unsafe.Add(ref h, c);
                for (int j = 0; j < d; j++) l = Math.FusedMultiplyAdd(xp[j], Unsafe.Add(ref g, c * d + j), l);
                lt[c] = l;
                max = Math.Max(max, l);
            }
            double total = 0, weights = 0;
            ms.Clear();
            for (int c = 0; c < k; c++)
            {
                double e = KernelExp.Scalar(Math.Max(lt[c] - max, KernelExp.Floor));
                total += e;
                double w = quadratic ? e * Unsafe.Add(ref inv, c) : e;
                if (quadratic) weights += w;
                for (int j = 0; j < d; j++) ms[j] = Math.FusedMultiplyAdd(w, Unsafe.Add(ref m, c * d + j), ms[j]);
            }
            if (!quadratic) weights = total;
            double scale = (quadratic ? -b : -b * commonInverse) / total;
            for (int j = 0; j < d; j++) output[j][i] = Math.FusedMultiplyAdd(scale, Math.FusedMultiplyAdd(xp[j], weights, -ms[j]), a * xp[j]);
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
            Constants = new IsotropicStepConstants(oracle.k, oracle.d);
        }

        /// <summary>The largest block this workspace serves.</summary>
        public int Capacity { get; }

        internal double[] LogTerms { get; }
        internal double[] Max { get; }
        internal double[] Total { get; }
        internal double[] Scratch { get; }
        internal IsotropicStepConstants Constants { get; }
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
            KernelExp.InPlace(logTerms, c * count, count); // clamped at Floor; the same bits wherever the row starts
            TensorPrimitives.Add(total, row, total);
        }
        for (int c = 0; c < k; c++)
        {
            var row = logTerms.AsSpan(c * count, count);
            TensorPrimitives.Divide(row, total, row);
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
