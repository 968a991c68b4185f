using System.Globalization;

namespace Verified.Reports.Analysis;

/// <summary>Culture-invariant number formats shared by tables, gate messages and verdict reasons.</summary>
public static class Numbers
{
    /// <summary>Two decimals (orders, CIs: 1.23); "n/a" for NaN and infinities.</summary>
    public static string F(double v) => double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Scientific with three significant digits (1.23e-04); non-finite values as .NET prints them.</summary>
    public static string E(double v) => double.IsFinite(v) ? v.ToString("0.00e+00", CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);
}
