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
/// 95% CI widened by the Monte Carlo error, INCONCLUSIVE when that CI is wider than +-<see cref="MaxMonteCarloHalfWidth"/>. No asymptotic window: INCONCLUSIVE. Every non-PASS row gets a reason.
/// </summary>
public static class Verdicts
{
    /// <summary>A Monte Carlo CI wider than +- this cannot tell one order from the next half-order: INCONCLUSIVE.</summary>
    public const double MaxMonteCarloHalfWidth = 0.5;

    /// <summary>Largest |p - p_declared| accepted in the exact tier.</summary>
    public const double ExactTolerance = 0.2;

    /// <summary>The verdict and its reason.</summary>
    public static (string Verdict, string Reason) Judge(string tier, double declared, OrderEstimate fit, IReadOnlyList<int> steps, bool atLeast = false)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var notes = DropNotes(fit, steps);
        if (!fit.HasWindow)
            return (Verdict.Inconclusive, Join($"no window of >= {OrderFit.MinimumWindow} points whose local orders agree within {OrderFit.AgreementTolerance}: the asymptotic regime is not reached on this ladder (local orders: {Orders(fit.LocalOrders)})", notes));
        string p = F(fit.Order);
        if (tier == "exact")
        {
            double gap = fit.Order - declared;
            if (Math.Abs(gap) <= ExactTolerance || (atLeast && gap > 0)) return (Verdict.Pass, notes);
            var reason = $"fitted order {p} on N = {fit.WindowFrom}..{fit.WindowTo} is {(gap > 0 ? "above" : "below")} the declared {F(declared)} by more than {F(ExactTolerance)}";
            reason += Trend(fit, declared);
            return (Verdict.Fail, Join(reason, notes));
        }
        double halfWidth = 0.5 * (fit.CiHigh - fit.CiLow);
        if (halfWidth > MaxMonteCarloHalfWidth)
            return (Verdict.Inconclusive, Join($"the widened 95% CI [{F(fit.CiLow)}, {F(fit.CiHigh)}] of the fitted {p} is wider than +-{F(MaxMonteCarloHalfWidth)}: too wide to test the declared {F(declared)}", notes));
        if (declared >= fit.CiLow && declared <= fit.CiHigh) return (Verdict.Pass, notes);
        return (Verdict.Fail, Join($"declared order {F(declared)} lies outside the widened 95% CI [{F(fit.CiLow)}, {F(fit.CiHigh)}] of the fitted {p}", notes));
    }

    /// <summary>What the local orders say about a missed declared order: still moving monotonically towards it
    /// (a pre-asymptotic ladder, which a longer ladder such as --full resolves), or, above it without such a
    /// trend, a problem on which the leading error term is small.</summary>
    internal static string Trend(OrderEstimate fit, double declared)
    {
        var local = fit.LocalOrders;
        if (local.Count >= 2)
        {
            bool towards = Math.Abs(local[^1] - declared) < Math.Abs(local[0] - declared);
            bool monotone = local.Zip(local.Skip(1), (a, b) => Math.Sign(b - a)).Distinct().Count() == 1;
            if (towards && monotone)
                return $" (pre-asymptotic: local orders move monotonically from {F(local[0])} to {F(local[^1])} towards the declared order, which is the asymptotic rate; a longer ladder approaches it)";
        }
        return fit.Order > declared
            ? " (the leading error term is small on this problem, so higher-order terms dominate the ladder; an order above the declared one is not a defect)"
            : "";
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
