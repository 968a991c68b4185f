using System.Numerics;
using System.Runtime.Intrinsics;

namespace Verified.Numerics.Tests;

/// <summary>The kernels' own exp against .NET's scalar Math.Exp (an independent implementation), and its SIMD form
/// against its scalar twin, bit for bit.</summary>
public class KernelExpTests
{
    private static double[] Arguments()
    {
        var rng = new Xoshiro256(3);
        var xs = new List<double> { -708, KernelExp.Floor, -707.9, -700, -1, -0.5 * Math.Log(2), 0.5 * Math.Log(2), -1e-300, 0.0, 1e-12, 1, 700, 709 };
        for (int i = 0; i < 20000; i++) xs.Add(-708 + (709 + 708) * rng.NextUniform());
        for (int i = 0; i < 20000; i++) xs.Add(-3 * rng.NextUniform()); // the kernels' common range
        return xs.ToArray();
    }

    [Fact]
    public void Within_two_ulp_of_Math_Exp_on_the_whole_argument_range()
    {
        foreach (double x in Arguments())
        {
            double expected = Math.Exp(x), actual = KernelExp.Scalar(x);
            double ulp = Math.BitIncrement(expected) - expected;
            Assert.True(Math.Abs(actual - expected) <= 2 * ulp, $"exp({x:R}): kernel {actual:R} vs Math.Exp {expected:R} ({Math.Abs(actual - expected) / ulp:F1} ulp)");
        }
        Assert.Equal(1.0, KernelExp.Scalar(0.0)); // the largest responsibility term is exactly 1
    }

    [Fact]
    public void Every_lane_width_returns_the_scalar_bits()
    {
        var xs = Arguments();
        xs = xs.Take(xs.Length / 8 * 8).ToArray();
        var scalar = xs.Select(KernelExp.Scalar).ToArray();
        var v512 = new double[xs.Length];
        var v256 = new double[xs.Length];
        var vt = new double[xs.Length];
        for (int i = 0; i < xs.Length; i += 8)
        {
            KernelExp.Exp<Vector512<double>, Lanes512>(Vector512.Create(xs.AsSpan(i, 8))).CopyTo(v512.AsSpan(i));
            for (int h = 0; h < 8; h += 4) KernelExp.Exp<Vector256<double>, Lanes256>(Vector256.Create(xs.AsSpan(i + h, 4))).CopyTo(v256.AsSpan(i + h));
        }
        for (int i = 0; i < xs.Length; i += Vector<double>.Count) KernelExp.Exp<Vector<double>, LanesVector>(new Vector<double>(xs, i)).CopyTo(vt, i);
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(scalar[i]) == BitConverter.DoubleToInt64Bits(v512[i]), $"512-bit exp({xs[i]:R}) = {v512[i]:R} vs scalar {scalar[i]:R}");
            Assert.True(BitConverter.DoubleToInt64Bits(scalar[i]) == BitConverter.DoubleToInt64Bits(v256[i]), $"256-bit exp({xs[i]:R}) = {v256[i]:R} vs scalar {scalar[i]:R}");
            Assert.True(BitConverter.DoubleToInt64Bits(scalar[i]) == BitConverter.DoubleToInt64Bits(vt[i]), $"Vector<T> exp({xs[i]:R}) = {vt[i]:R} vs scalar {scalar[i]:R}");
        }
    }

    /// <summary>test.sh reruns this project with AVX-512 off and VERIFIED_EXPECT_LANE_WIDTH=4 so that the tests above
    /// hold the 256-bit kernels to the scalar code too: this fails that run if the switch stops switching.</summary>
    [ExpectedLaneWidthFact]
    public void The_kernels_run_at_the_lane_width_the_run_expects() =>
        Assert.Equal(ExpectedLaneWidthFactAttribute.Expected, BatchedOracle.LaneWidth);
}

/// <summary>A test that runs only when VERIFIED_EXPECT_LANE_WIDTH names the lane width the run must use (test.sh's
/// 256-bit pass); skipped with the reason otherwise, since nothing outside the runtime says which width it accelerates.</summary>
public sealed class ExpectedLaneWidthFactAttribute : FactAttribute
{
    /// <summary>The width the run expects, or 0 when none is set.</summary>
    public static int Expected => int.TryParse(Environment.GetEnvironmentVariable("VERIFIED_EXPECT_LANE_WIDTH"), out int w) ? w : 0;

    /// <summary>Skips unless VERIFIED_EXPECT_LANE_WIDTH is set.</summary>
    public ExpectedLaneWidthFactAttribute()
    {
        if (Expected == 0) Skip = "not run: VERIFIED_EXPECT_LANE_WIDTH is not set (test.sh sets it for its 256-bit pass)";
    }
}
