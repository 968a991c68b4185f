using Verified.Reports.Model;

namespace Verified.Reports.Analysis;

/// <summary>Formatting and storage helpers around fits and verdicts (the rule itself is <see cref="OrderClaim"/>).</summary>
public static class Verdicts
{
    /// <summary>The fit as stored in JSON (nulls for NaN).</summary>
    public static FitResult ToResult(OrderEstimate fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        static double? N(double v) => double.IsFinite(v) ? v : null;
        return new FitResult(N(fit.Order), N(fit.CiLow), N(fit.CiHigh), fit.WindowFrom, fit.WindowTo,
            fit.LocalOrders.Select(v => double.IsFinite(v) ? v : 0).ToList());
    }

    /// <summary>The drop reason as stored in a ladder point (null = used).</summary>
    public static DropReason? Stored(DropReason r) => r == DropReason.None ? null : r;
}
