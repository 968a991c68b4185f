using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Verified.Numerics;

/// <summary>
/// The few SIMD operations the batched kernels use, over one vector type, so each kernel is written once as a
/// generic method and the JIT specialises it for the widest vectors the CPU runs natively (see <see cref="Lanes"/>).
/// Exactly rounded operations, fused multiply-add (one rounding, as Math.FusedMultiplyAdd in the scalar tails) and
/// and the integer bit operations <see cref="KernelExp"/> needs, so every lane width and the scalar twins give the same bits.
/// </summary>
internal interface ILanes<TV> where TV : unmanaged
{
    static abstract int Count { get; }
    static abstract TV Load(double[] a, int i);
    static abstract void Store(TV v, double[] a, int i);
    static abstract TV Splat(double v);
    static abstract TV Add(TV a, TV b);
    static abstract TV Subtract(TV a, TV b);
    static abstract TV Multiply(TV a, TV b);
    static abstract TV Divide(TV a, TV b);
    static abstract TV Negate(TV a);
    /// <summary>The larger of a and b per lane, as the hardware does it (the kernels never pass NaN or signed zeros that matter).</summary>
    static abstract TV Max(TV a, TV b);
    /// <summary>a * b + c with one rounding.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);
    /// <summary>p 2^n for an integral n with <c>shifted</c> = n + 1.5 * 2^52 (both forms of the same n): exact when
    /// the result is a normal number, which is all <see cref="KernelExp"/> produces, so every form gives the same
    /// bits. One vscalefpd where AVX-512 has it, else p times 2^n with the exponent bits built directly,
    /// (bits(shifted) &lt;&lt; 52) + oneBits.</summary>
    static abstract TV TimesPowerOfTwo(TV p, TV n, TV shifted, long oneBits);
}

/// <summary>Which lane width the batched kernels run at on this machine.</summary>
internal static class Lanes
{
    /// <summary>512-bit vectors when the JIT accelerates them (AVX-512), else 256-bit (AVX2), else Vector&lt;double&gt;.</summary>
    public static int Width =>
        Vector512.IsHardwareAccelerated ? 8 : Vector256.IsHardwareAccelerated ? 4 : Vector<double>.Count;
}

internal readonly struct Lanes512 : ILanes<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(double[] a, int i) => Vector512.Create(a.AsSpan(i, Vector512<double>.Count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<double> v, double[] a, int i) => v.CopyTo(a.AsSpan(i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Splat(double v) => Vector512.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Negate(Vector512<double> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Max(Vector512<double> a, Vector512<double> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static Vector512<double> PowerOfTwo(Vector512<double> shifted, long oneBits) => (Vector512.ShiftLeft(shifted.AsInt64(), 52) + Vector512.Create(oneBits)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    // the multiply where AVX-512 is absent: the kernels never pick these lanes there, but the tests run them everywhere
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> TimesPowerOfTwo(Vector512<double> p, Vector512<double> n, Vector512<double> shifted, long oneBits) =>
        Avx512F.IsSupported ? Avx512F.Scale(p, n) : p * PowerOfTwo(shifted, oneBits);
}

internal readonly struct Lanes256 : ILanes<Vector256<double>>
{
    public static int Count => Vector256<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(double[] a, int i) => Vector256.Create(a.AsSpan(i, Vector256<double>.Count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<double> v, double[] a, int i) => v.CopyTo(a.AsSpan(i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Splat(double v) => Vector256.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Negate(Vector256<double> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Max(Vector256<double> a, Vector256<double> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static Vector256<double> PowerOfTwo(Vector256<double> shifted, long oneBits) => (Vector256.ShiftLeft(shifted.AsInt64(), 52) + Vector256.Create(oneBits)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> TimesPowerOfTwo(Vector256<double> p, Vector256<double> n, Vector256<double> shifted, long oneBits) => p * PowerOfTwo(shifted, oneBits);
}

internal readonly struct LanesVector : ILanes<Vector<double>>
{
    public static int Count => Vector<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Load(double[] a, int i) => new(a, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector<double> v, double[] a, int i) => v.CopyTo(a, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Splat(double v) => new(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Add(Vector<double> a, Vector<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Subtract(Vector<double> a, Vector<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Multiply(Vector<double> a, Vector<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Divide(Vector<double> a, Vector<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Negate(Vector<double> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Max(Vector<double> a, Vector<double> b) => Vector.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static Vector<double> PowerOfTwo(Vector<double> shifted, long oneBits) => Vector.AsVectorDouble(Vector.ShiftLeft(Vector.AsVectorInt64(shifted), 52) + new Vector<long>(oneBits));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> MultiplyAdd(Vector<double> a, Vector<double> b, Vector<double> c) => Vector.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> TimesPowerOfTwo(Vector<double> p, Vector<double> n, Vector<double> shifted, long oneBits) => p * PowerOfTwo(shifted, oneBits);
}
