using System.Runtime.CompilerServices;

namespace Verified.Numerics;

/// <summary>
/// The exp the batched oracle kernels use, written once over the lane type and once for a scalar, with the same
/// operations in the same order, so a SIMD lane and the scalar tail return the same bits for the same argument:
/// a point's result never depends on where it falls in a block (any offset, any batch split).
/// </summary>
/// <remarks>
/// exp(x) = 2^n p(r), n = round(x / ln 2), r = x - n ln 2 (two-part ln 2, fused), |r| &lt;= ln(2)/2, p a degree-11
/// near-minimax polynomial (1.1e-17 relative), times 2^n (one vscalefpd with AVX-512, else 2^n built from the
/// exponent bits; exact either way). Within about 2 ulp of
/// the exact exp on [-708, 709] (Numerics.Tests/KernelExpTests); no table, no scalar fallback for
/// extreme lanes (which .NET's vector exp takes for the whole vector), 16 vector operations with AVX-512. Arguments must
/// lie in [-708, 709]: callers clamp (the kernels pass log terms minus their maximum, at most 0).
/// </remarks>
internal static class KernelExp
{
    /// <summary>The smallest argument the kernels pass: e^-600 = 3e-261 is far below the round-off of a sum that
    /// contains e^0 = 1, so clamping log-term differences here changes no result beyond round-off; and it leaves room
    /// below it, so products of a clamped term with the mixture's constants stay normal numbers (a subnormal result
    /// costs a microcode assist of ~100 cycles on x64, and .NET cannot set flush-to-zero).</summary>
    public const double Floor = -600.0;

    private const double Log2E = 1.4426950408889634;
    private const double Shift = 6755399441055744.0;       // 1.5 * 2^52: x log2(e) + Shift rounds to an integer in the low bits
    private const double Ln2Hi = 0.6931471805599453;        // ln 2 rounded to double
    private const double Ln2Lo = 2.3190468138462996e-17;    // ln 2 - Ln2Hi
    private const long OneBits = 0x3FF0000000000000;        // the bits of 1.0: exponent bias in place

    // Near-minimax coefficients for e^r = 1 + r + r^2 q(r), |r| <= ln(2)/2 (Lawson-weighted least squares on Chebyshev
    // nodes in extended precision; max relative error 1.1e-17 with these double coefficients, a tenth of an ulp): two
    // multiply-adds fewer than the degree-13 Taylor polynomial at the same accuracy.
    private const double C2 = 0.5000000000000011, C3 = 0.16666666666666413, C4 = 0.041666666666530114,
        C5 = 0.008333333333494458, C6 = 0.0013888888943631103, C7 = 0.00019841269506344538,
        C8 = 2.4801493106508668e-05, C9 = 2.755758678030313e-06, C10 = 2.763024309777639e-07,
        C11 = 2.4999873548283998e-08;

    /// <summary>e^x per lane, x in [-708, 709].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<TV, L>(TV x) where TV : unmanaged where L : ILanes<TV>
    {
        var shifted = L.MultiplyAdd(x, L.Splat(Log2E), L.Splat(Shift));
        var n = L.Subtract(shifted, L.Splat(Shift));
        var r = L.MultiplyAdd(n, L.Splat(-Ln2Hi), x);
        r = L.MultiplyAdd(n, L.Splat(-Ln2Lo), r);
        var p = L.MultiplyAdd(L.Splat(C11), r, L.Splat(C10));
        p = L.MultiplyAdd(p, r, L.Splat(C9));
        p = L.MultiplyAdd(p, r, L.Splat(C8));
        p = L.MultiplyAdd(p, r, L.Splat(C7));
        p = L.MultiplyAdd(p, r, L.Splat(C6));
        p = L.MultiplyAdd(p, r, L.Splat(C5));
        p = L.MultiplyAdd(p, r, L.Splat(C4));
        p = L.MultiplyAdd(p, r, L.Splat(C3));
        p = L.MultiplyAdd(p, r, L.Splat(C2));
        p = L.MultiplyAdd(p, r, L.Splat(1.0));
        p = L.MultiplyAdd(p, r, L.Splat(1.0));
        return L.TimesPowerOfTwo(p, n, shifted, OneBits);
    }

    /// <summary>e^x, x in [-708, 709]: the same operations as <see cref="Exp{TV, L}"/>, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Scalar(double x)
    {
        double shifted = Math.FusedMultiplyAdd(x, Log2E, Shift);
        double n = shifted - Shift;
        double r = Math.FusedMultiplyAdd(n, -Ln2Hi, x);
        r = Math.FusedMultiplyAdd(n, -Ln2Lo, r);
        double p = Math.FusedMultiplyAdd(C11, r, C10);
        p = Math.FusedMultiplyAdd(p, r, C9);
        p = Math.FusedMultiplyAdd(p, r, C8);
        p = Math.FusedMultiplyAdd(p, r, C7);
        p = Math.FusedMultiplyAdd(p, r, C6);
        p = Math.FusedMultiplyAdd(p, r, C5);
        p = Math.FusedMultiplyAdd(p, r, C4);
        p = Math.FusedMultiplyAdd(p, r, C3);
        p = Math.FusedMultiplyAdd(p, r, C2);
        p = Math.FusedMultiplyAdd(p, r, 1.0);
        p = Math.FusedMultiplyAdd(p, r, 1.0);
        return p * BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(shifted) << 52) + OneBits);
    }

    /// <summary>row[i] &lt;- e^max(row[i], Floor) for a span of an array, SIMD groups counted from its start and the
    /// scalar twin for the rest: the same bits for every element wherever the span begins.</summary>
    public static void InPlace(double[] a, int start, int length)
    {
        if (Lanes.Width == 8 && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) InPlace<System.Runtime.Intrinsics.Vector512<double>, Lanes512>(a, start, length);
        else if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) InPlace<System.Runtime.Intrinsics.Vector256<double>, Lanes256>(a, start, length);
        else InPlace<System.Numerics.Vector<double>, LanesVector>(a, start, length);
    }

    private static void InPlace<TV, L>(double[] a, int start, int length) where TV : unmanaged where L : ILanes<TV>
    {
        int i = start, end = start + length;
        var floor = L.Splat(Floor);
        for (; i <= end - L.Count; i += L.Count) L.Store(Exp<TV, L>(L.Max(L.Load(a, i), floor)), a, i);
        for (; i < end; i++) a[i] = Scalar(Math.Max(a[i], Floor));
    }
}
