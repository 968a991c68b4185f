using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// Tensor arithmetic with a double, through Scalars this class owns for the whole native call. TorchSharp 0.107's
/// <see cref="Scalar"/> is freed by its finalizer, and TorchSharp passes a Scalar's handle to libtorch without keeping
/// the Scalar alive: a temporary one (the implicit conversion in <c>x * 0.5</c>, or the default alpha of 1 that
/// <c>a + b</c> and <c>a.add_(b)</c> make inside TorchSharp) can be freed by the finalizer thread while libtorch still
/// reads it, which ends in libtorch's assert in Scalar.h (it happened in `report --tensor`, with other threads
/// allocating). Here every Scalar lives in a <c>using</c> scope that ends after the call, and the alpha of 1 is a
/// static that is never collected. <c>Gpu.Tests/ScalarTemporariesTests</c> reads the IL of Verified.Gpu and fails on
/// any other way of making a Scalar. Results are the same bits as the operator forms: the same libtorch kernels
/// with the same scalar values.
/// </summary>
public static class Scalars
{
    /// <summary>The alpha of 1 for additions; a static root, so the finalizer never frees it.</summary>
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary>c x.</summary>
    public static Tensor Times(this Tensor x, double c) => With(c, x, static (x, s) => x.mul(s));

    /// <summary>x &lt;- c x, in place; returns x.</summary>
    public static Tensor TimesInPlace(this Tensor x, double c) => With(c, x, static (x, s) => x.mul_(s));

    /// <summary>x / c.</summary>
    public static Tensor Over(this Tensor x, double c) => With(c, x, static (x, s) => x.div(s));

    /// <summary>x + c (every element).</summary>
    public static Tensor Plus(this Tensor x, double c) => With(c, x, static (x, s) => x.add(s, One));

    /// <summary>x &lt;- x + c (every element), in place; returns x.</summary>
    public static Tensor PlusInPlace(this Tensor x, double c) => With(c, x, static (x, s) => x.add_(s, One));

    /// <summary>x &lt;- x - c (every element), in place; returns x.</summary>
    public static Tensor MinusInPlace(this Tensor x, double c) => With(c, x, static (x, s) => x.sub_(s));

    /// <summary>x + y.</summary>
    public static Tensor Plus(this Tensor x, Tensor y) => x.add(y, One);

    /// <summary>x &lt;- x + y, in place; returns x.</summary>
    public static Tensor PlusInPlace(this Tensor x, Tensor y) => x.add_(y, One);

    /// <summary>x + c y.</summary>
    public static Tensor PlusScaled(this Tensor x, Tensor y, double c) => With(c, (x, y), static (xy, s) => xy.x.add(xy.y, s));

    /// <summary>x &lt;- x + c y, in place; returns x.</summary>
    public static Tensor PlusScaledInPlace(this Tensor x, Tensor y, double c) => With(c, (x, y), static (xy, s) => xy.x.add_(xy.y, s));

    /// <summary>x + c a b (elementwise products).</summary>
    public static Tensor PlusScaledProduct(this Tensor x, Tensor a, Tensor b, double c) => With(c, (x, a, b), static (xab, s) => xab.x.addcmul(xab.a, xab.b, s));

    /// <summary>x &lt;- x + c a b (elementwise products), in place; returns x.</summary>
    public static Tensor PlusScaledProductInPlace(this Tensor x, Tensor a, Tensor b, double c) => With(c, (x, a, b), static (xab, s) => xab.x.addcmul_(xab.a, xab.b, s));

    /// <summary>x with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor MaskedFill(this Tensor x, Tensor mask, double value) => With(value, (x, mask), static (xm, s) => xm.x.masked_fill(xm.mask, s));

    /// <summary>x &lt;- <paramref name="value"/> where <paramref name="mask"/> is true, in place; returns x.</summary>
    public static Tensor MaskedFillInPlace(this Tensor x, Tensor mask, double value) => With(value, (x, mask), static (xm, s) => xm.x.masked_fill_(xm.mask, s));

    /// <summary>x &lt; c, elementwise.</summary>
    public static Tensor LessThan(this Tensor x, long c) => With(c, x, static (x, s) => x.lt(s));

    /// <summary>x &lt; c, elementwise.</summary>
    public static Tensor LessThan(this Tensor x, double c) => With(c, x, static (x, s) => x.lt(s));

    /// <summary>A vector of n copies of <paramref name="value"/>.</summary>
    public static Tensor Full(long n, double value, ScalarType dtype, Device device) => With(value, (n, dtype, device), static (a, s) => torch.full(a.n, s, a.dtype, a.device));

    /// <summary>A vector of n copies of the integer <paramref name="value"/>.</summary>
    public static Tensor Full(long n, long value, ScalarType dtype, Device device) => With(value, (n, dtype, device), static (a, s) => torch.full(a.n, s, a.dtype, a.device));

    /// <summary>A tensor shaped like <paramref name="like"/>, every element the integer <paramref name="value"/>.</summary>
    public static Tensor FullLike(Tensor like, long value) => With(value, like, static (like, s) => torch.full_like(like, s));

    /// <summary>0, 1, ..., n - 1.</summary>
    public static Tensor Range(long n, ScalarType dtype, Device device)
    {
        using var start = 0L.ToScalar();
        using var stop = n.ToScalar();
        using var step = 1L.ToScalar();
        return torch.arange(start, stop, step, dtype, device);
    }

    // The one pattern: the Scalar lives until the call that reads it has returned. The operands travel as state so
    // that the lambdas are static: no closure allocated per tensor operation.
    private static Tensor With<TState>(double value, TState state, Func<TState, Scalar, Tensor> call)
    {
        using var s = value.ToScalar();
        return call(state, s);
    }

    private static Tensor With<TState>(long value, TState state, Func<TState, Scalar, Tensor> call)
    {
        using var s = value.ToScalar();
        return call(state, s);
    }
}
