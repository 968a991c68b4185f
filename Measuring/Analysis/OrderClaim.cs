using System.Globalization;

namespace Verified.Reports.Analysis;

/// <summary>A verdict on one ladder, its reason, and whether a longer ladder (N doubled) could change it.</summary>
/// <param name="Verdict">PASS, FAIL or INCONCLUSIVE.</param>
/// <param name="Reason">Why (empty for a clean PASS); every non-PASS says what would decide it.</param>
/// <param name="WantsLongerLadder">True when the ladder is pre-asymptotic: the runner re-measures it with N doubled,
/// up to <see cref="OrderClaim.MaxDoublings"/>, before this verdict stands.</param>
public sealed record ClaimJudgement(Verdict Verdict, string Reason, bool WantsLongerLadder);

/// <summary>A ladder judged under the claim rule, after any extension.</summary>
/// <typeparam name="T">What the measurement callback returns (the runner's ladder with NFE and timings).</typeparam>
/// <param name="Ladder">The last measured ladder.</param>
/// <param name="Steps">Its step counts.</param>
/// <param name="Fit">Its fitted order.</param>
/// <param name="Judgement">The verdict.</param>
/// <param name="Doublings">How many times N was doubled beyond the preset's ladder.</param>
public sealed record ExtendedJudgement<T>(T Ladder, IReadOnlyList<int> Steps, OrderEstimate Fit, ClaimJudgement Judgement, int Doublings);

/// <summary>
/// The one rule that turns a measured convergence ladder into a verdict on the claim "converges at least at order p"
/// (the sampler's declared strong or weak order). Used by the report, the gate (which re-judges stored ladders with it),
/// Numerics.Tests and the Verification suite.
/// </summary>
/// <remarks>
/// <para>PASS when the asymptotic evidence supports an order of at least p: exact tier (no sampling noise) when the fitted
/// order is &gt;= p - <see cref="ExactTolerance"/>; Monte Carlo tier when the 95% CI's lower end excludes an order drop of
/// <see cref="DetectableDrop"/> (lower end &gt;= p - 0.5). An order above p is a PASS with a note (superconvergent on this
/// problem): the claim is a lower bound.</para>
/// <para>FAIL only when the ladder is in its asymptotic regime and the order is below p beyond the tolerance: exact tier,
/// fitted &lt; p - 0.2; Monte Carlo tier, the one-sided 99.9% upper bound (fitted + <see cref="FailBoundScale"/> times the
/// 95% half-width) is below p, so that a correct sampler with an honest CI fails with probability &lt;= 1e-3 per ladder.</para>
/// <para>Pre-asymptotic (no window of agreeing local orders, or local orders still rising at the fine end towards an
/// extrapolated limit &gt;= p - 0.2), or a Monte Carlo CI left undecided by a window of only 3 points ending at the
/// finest N: no verdict yet; the ladder is extended (N doubled) up to
/// <see cref="MaxDoublings"/>, then INCONCLUSIVE with the N that would decide it. The statistical meaning (false-alarm
/// rate and power, measured on synthetic ladders) is in docs/REPORTS.md.</para>
/// </remarks>
public static class OrderClaim
{
    /// <summary>Exact tier: a fitted order this far below p is still consistent with p (pre-asymptotic curvature of a
    /// power law with a correction term over the finite window).</summary>
    public const double ExactTolerance = 0.2;

    /// <summary>The order drop the Monte Carlo tier must be able to exclude before it passes a claim.</summary>
    public const double DetectableDrop = 0.5;

    /// <summary>z(0.999) / z(0.975): turns a 95% two-sided half-width into a one-sided 99.9% bound.</summary>
    public const double FailBoundScale = 3.090232306167813 / 1.959963984540054;

    /// <summary>A local order that rises by more than this between the two finest steps is still moving.</summary>
    public const double RisingThreshold = 0.02;

    /// <summary>How many times N may be doubled beyond the preset's ladder before a pre-asymptotic verdict stands:
    /// exact errors are cheap (3 doublings: 8x the largest N), Monte Carlo ladders expensive (1 doubling, which also
    /// doubles the fine reference path).</summary>
    public static int MaxDoublings(Tier tier) => tier == Tier.MonteCarlo ? 1 : 3;

    /// <summary>Judges a fitted ladder.</summary>
    /// <param name="tier">exact or monte-carlo.</param>
    /// <param name="declared">the claimed order p.</param>
    /// <param name="fit">the fit of the ladder.</param>
    /// <param name="steps">the ladder's N (for the dropped-point notes).</param>
    public static ClaimJudgement Judge(Tier tier, double declared, OrderEstimate fit, IReadOnlyList<int> steps)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(steps);
        var notes = DropNotes(fit, steps);
        int nMax = steps.Count == 0 ? 0 : steps[^1];
        // More N cannot resolve points that are already lost in Monte Carlo noise (finer N only shrinks the error).
        bool noiseLimited = fit.Dropped.Any(r => r == DropReason.Unresolved);
        if (!fit.HasWindow)
        {
            if (tier == Tier.Exact && Envelope(fit, declared) is string envelope)
                return new(Verdict.Pass, Join(envelope, notes), false);
            return new(Verdict.Inconclusive, Join($"pre-asymptotic: no window of >= {OrderFit.MinimumWindow} points whose local orders agree within {F(OrderFit.AgreementTolerance)} (local orders: {Orders(fit.LocalOrders)}); " +
                (noiseLimited ? "more Monte Carlo samples would resolve the dropped points and decide" : $"a ladder beyond N = {nMax} would decide"), notes), !noiseLimited);
        }
        string p = F(fit.Order), window = $"N = {fit.WindowFrom}..{fit.WindowTo}";
        if (tier == Tier.Exact)
        {
            if (fit.Order >= declared - ExactTolerance)
                return new(Verdict.Pass, Join(fit.Order > declared + ExactTolerance ? $"superconvergent on this problem: fitted order {p} on {window} is above the declared {F(declared)} (the claim is a lower bound)" : "", notes), false);
            if (StillRising(fit, declared) is string rising)
                return new(Verdict.Inconclusive, Join($"pre-asymptotic: fitted order {p} on {window} is below the declared {F(declared)} by more than {F(ExactTolerance)}, but {rising}; a ladder beyond N = {nMax} would decide", notes), true);
            return new(Verdict.Fail, Join($"fitted order {p} on {window} is below the declared {F(declared)} by more than {F(ExactTolerance)}, and the local orders have settled ({Orders(fit.LocalOrders)})", notes), false);
        }
        double halfWidth = 0.5 * (fit.CiHigh - fit.CiLow);
        double upper = fit.Order + FailBoundScale * halfWidth;
        string ci = $"95% CI [{F(fit.CiLow)}, {F(fit.CiHigh)}]";
        if (upper < declared)
        {
            if (StillRising(fit, declared) is string rising)
                return new(Verdict.Inconclusive, Join($"pre-asymptotic: the one-sided 99.9% upper bound {F(upper)} of the fitted {p} on {window} is below the declared {F(declared)}, but {rising}; a ladder beyond N = {nMax} would decide", notes), !noiseLimited);
            return new(Verdict.Fail, Join($"the one-sided 99.9% upper bound {F(upper)} of the fitted order {p} ({ci}, {window}) is below the declared {F(declared)}", notes), false);
        }
        if (fit.CiLow >= declared - DetectableDrop)
            return new(Verdict.Pass, Join(fit.CiLow > declared ? $"superconvergent on this problem: the {ci} of the fitted {p} lies above the declared {F(declared)} (the claim is a lower bound)" : "", notes), false);
        // Neither decided: the CI must shrink. Half-widths fall like 1/sqrt(M).
        double needed = fit.Order > declared - DetectableDrop
            ? fit.Order - (declared - DetectableDrop)
            : (declared - fit.Order) / FailBoundScale;
        string more = needed > 0 ? $"about {Math.Ceiling(Math.Pow(halfWidth / needed, 2)).ToString(CultureInfo.InvariantCulture)}x the Monte Carlo samples would decide" : "more samples would decide";
        // A window of MinimumWindow points leaves the regression one degree of freedom (t = 12.7): one more point at the
        // fine end (t = 4.3) narrows the CI more than many times the samples would.
        bool shortWindow = steps.Count(n => n >= fit.WindowFrom && n <= fit.WindowTo) <= OrderFit.MinimumWindow && fit.WindowTo == nMax && !noiseLimited;
        if (shortWindow) more = $"{more}, or a ladder beyond N = {nMax} (the window has only {OrderFit.MinimumWindow} points)";
        return new(Verdict.Inconclusive, Join($"the {ci} of the fitted {p} on {window} contains the declared {F(declared)} but cannot exclude an order drop of {F(DetectableDrop)}; {more}", notes), shortWindow);
    }

    /// <summary>Measures, fits and judges a ladder; while the judgement asks for a longer ladder and the tier's
    /// budget allows, doubles the largest N (appends 2 N_max) and measures again.</summary>
    /// <param name="tier">exact or monte-carlo.</param>
    /// <param name="declared">the claimed order.</param>
    /// <param name="steps">the preset's ladder.</param>
    /// <param name="measure">measures a ladder of the given N.</param>
    /// <param name="points">the error points of a measured ladder.</param>
    /// <param name="roundOffFloor">see <see cref="OrderFit.Fit"/>.</param>
    /// <param name="maxDoublings">the extension budget; default <see cref="MaxDoublings"/>.</param>
    public static ExtendedJudgement<T> JudgeExtending<T>(Tier tier, double declared, IReadOnlyList<int> steps,
        Func<IReadOnlyList<int>, T> measure, Func<T, IReadOnlyList<ErrorPoint>> points, double roundOffFloor, int? maxDoublings = null)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(points);
        int budget = maxDoublings ?? MaxDoublings(tier);
        var ladder = steps.ToList();
        for (int doublings = 0; ; doublings++)
        {
            var measured = measure(ladder);
            var fit = OrderFit.Fit(points(measured), roundOffFloor);
            var judgement = Judge(tier, declared, fit, ladder);
            // A ladder whose finest point is already round-off cannot learn more from a finer N (float32 floors).
            bool atFloor = fit.Dropped.Count > 0 && fit.Dropped[^1] == DropReason.RoundOff;
            // An exact-tier FAIL is confirmed on a longer ladder before it stands: local orders that look settled on a
            // short ladder can still be climbing (a correct midpoint rule on EDM read 2.90, 1.75, 1.71 on N = 4..32).
            bool confirmFail = tier == Tier.Exact && judgement.Verdict == Verdict.Fail;
            if (!(judgement.WantsLongerLadder || (confirmFail && doublings < 1)) || doublings >= budget || atFloor)
            {
                if (doublings > 0)
                    judgement = judgement with { Reason = Join(judgement.Reason, $"ladder extended {doublings}x (N doubled) to N = {ladder[^1]} because the preset's ladder was pre-asymptotic or its FAIL needed confirming") };
                if (judgement.WantsLongerLadder && budget > 0)
                    judgement = judgement with { Reason = Join(judgement.Reason, $"extension budget ({budget} doublings) spent") };
                return new(measured, ladder, fit, judgement, doublings);
            }
            ladder.Add(2 * ladder[^1]);
        }
    }

    /// <summary>Exact tier without a window of agreeing local orders (an adaptive controller's staircase, a ladder whose
    /// local orders oscillate): the claim "at least order p" still holds on the ladder when, from each of the finest
    /// three kept points before the last, the secant order to the finest point is at least p - <see cref="ExactTolerance"/>
    /// (the error fell at least that fast on average over every fine-end stretch). Null when it does not.</summary>
    internal static string? Envelope(OrderEstimate fit, double declared)
    {
        var q = fit.LocalOrders;
        if (q.Count < 3) return null;
        var secants = new List<double>();
        double sum = 0;
        for (int k = 1; k <= 3; k++) { sum += q[^k]; secants.Add(sum / k); }
        if (secants.Any(s => s < declared - ExactTolerance)) return null;
        return $"no window of agreeing local orders ({Orders(q)}), but the secant orders from the finest three points to the finest one ({Orders(secants)}) are all at least the declared {F(declared)} - {F(ExactTolerance)}: the error falls at least that fast at the fine end";
    }

    /// <summary>Null when the local orders have settled at the fine end; otherwise why they may still reach the declared
    /// order: rising at the finest step, with an extrapolated limit (Aitken, from the last three local orders when their
    /// increments shrink) of at least p - <see cref="ExactTolerance"/>, or no extrapolation possible.</summary>
    internal static string? StillRising(OrderEstimate fit, double declared)
    {
        var q = fit.LocalOrders;
        if (q.Count < 2 || !(q[^1] > q[^2] + RisingThreshold)) return null;
        if (q.Count >= 3)
        {
            double d1 = q[^2] - q[^3], d2 = q[^1] - q[^2];
            if (d1 > 0 && d2 < d1)
            {
                double r = d2 / d1;
                double limit = q[^1] + d2 * r / (1 - r);
                return limit >= declared - ExactTolerance
                    ? $"the local orders still rise ({Orders(q)}) towards an extrapolated {F(limit)}"
                    : null;
            }
        }
        return $"the local orders still rise at the fine end ({Orders(q)})";
    }

    private static string DropNotes(OrderEstimate fit, IReadOnlyList<int> steps)
    {
        var parts = new List<string>();
        foreach (var reason in new[] { DropReason.RoundOff, DropReason.Unresolved, DropReason.NotFinite })
        {
            var ns = steps.Where((_, i) => i < fit.Dropped.Count && fit.Dropped[i] == reason).ToList();
            if (ns.Count > 0) parts.Add($"N = {string.Join(", ", ns)} dropped: {reason.Meaning}");
        }
        return string.Join("; ", parts);
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : $"{a}; {b}";

    private static string F(double v) => Numbers.F(v);

    private static string Orders(IReadOnlyList<double> orders) => orders.Count == 0 ? "none" : string.Join(", ", orders.Select(F));
}
