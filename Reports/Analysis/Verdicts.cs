using System.Globalization;
using Verified.Reports.Model;

namespace Verified.Reports.Analysis;

/// <summary>Verdict strings.</summary>
public static class Verdict
{
    /// <summary>The fitted order matches the declared one.</summary>
    public const string Pass = "PASS";
    /// <summary>It does not.</summary>
    public const string Fail = "FAIL";
    /// <summary>The ladder did not reach the asymptotic regime, or noise hides it.</summary>
    public const string Inconclusive = "INCONCLUSIVE";
}

/// <summary>
/// Turns a fitted order into a verdict. Exact tier (errors free of sampling noise): PASS when
/// |p - p_declared| &lt;= <see cref="ExactTolerance"/>. Monte Carlo tier: PASS when the declared order lies in the
/// 95% CI widened by the Monte Carlo error. No asymptotic window: INCONCLUSIVE. Every non-PASS row gets a reason.
/// </summary>
public static class Verdicts
{
    /// <summary>Largest |p - p_declared| accepted in the exact tier.</summary>
    public const double ExactTolerance = 0.2;

    /// <summary>The verdict and its reason.</summary>
    public static (string Verdict, string Reason) Judge(string tier, double declared, OrderEstimate fit, IReadOnlyList<int> steps)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var notes = DropNotes(fit, steps);
        if (!fit.HasWindow)
            return (Verdict.Inconclusive, Join($"no window of >= {OrderFit.MinimumWindow} points whose local orders agree within {OrderFit.AgreementTolerance}: the asymptotic regime is not reached on this ladder (local orders: {Orders(fit.LocalOrders)})", notes));
        string p = F(fit.Order);
        if (tier == "exact")
        {
            double gap = fit.Order - declared;
            if (Math.Abs(gap) <= ExactTolerance) return (Verdict.Pass, notes);
            return (Verdict.Fail, Join($"fitted order {p} on N = {fit.WindowFrom}..{fit.WindowTo} is {(gap > 0 ? "above" : "below")} the declared {F(declared)} by more than {F(ExactTolerance)}", notes));
        }
        if (declared >= fit.CiLow && declared <= fit.CiHigh) return (Verdict.Pass, notes);
        return (Verdict.Fail, Join($"declared order {F(declared)} lies outside the widened 95% CI [{F(fit.CiLow)}, {F(fit.CiHigh)}] of the fitted {p}", notes));
    }

    private static string DropNotes(OrderEstimate fit, IReadOnlyList<int> steps)
    {
        var parts = new List<string>();
        foreach (var reason in new[] { DropReason.RoundOff, DropReason.Unresolved, DropReason.NotFinite })
        {
            var ns = steps.Where((_, i) => fit.Dropped[i] == reason).ToList();
            if (ns.Count == 0) continue;
            string what = reason switch
            {
                DropReason.RoundOff => "below the round-off floor",
                DropReason.Unresolved => "not resolved from Monte Carlo noise (CI contains 0)",
                _ => "not a positive finite error",
            };
            parts.Add($"N = {string.Join(", ", ns)} dropped: {what}");
        }
        return string.Join("; ", parts);
    }

    private static string Join(string a, string b) => b.Length == 0 ? a : $"{a}; {b}";

    internal static string F(double v) => double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    private static string Orders(IReadOnlyList<double> orders) => orders.Count == 0 ? "none" : string.Join(", ", orders.Select(F));

    /// <summary>The fit as stored in JSON (nulls for NaN).</summary>
    public static FitResult ToResult(OrderEstimate fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        static double? N(double v) => double.IsFinite(v) ? v : null;
        return new FitResult(N(fit.Order), N(fit.CiLow), N(fit.CiHigh), fit.WindowFrom, fit.WindowTo,
            fit.LocalOrders.Select(v => double.IsFinite(v) ? v : 0).ToList());
    }

    /// <summary>The drop reason as stored in JSON.</summary>
    public static string? DropName(DropReason r) => r switch
    {
        DropReason.None => null,
        DropReason.RoundOff => "round-off",
        DropReason.Unresolved => "unresolved",
        _ => "not-finite",
    };
}
