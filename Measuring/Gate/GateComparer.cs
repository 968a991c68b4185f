using System.Globalization;
using Verified.Reports.Analysis;
using Verified.Reports.Model;

namespace Verified.Reports.Gate;

/// <summary>What a gate finding says.</summary>
public enum GateFindingKind
{
    /// <summary>A verdict: a ladder of a gated sampler is FAIL (recorded in the baseline or measured now), or a registered
    /// sampler declares no checkable claim. Fails the gate whatever the baseline says.</summary>
    Wrong,
    /// <summary>Golden drift: the measured numbers moved against the baseline. Fails the gate until re-recorded.</summary>
    Changed,
    /// <summary>Information only (new series).</summary>
    Note,
}

/// <summary>One finding of the gate.</summary>
/// <param name="IsRegression">True fails the gate; false is a note (new series, improvements).</param>
/// <param name="Key">The series (sampler | problem | schedule | metric), or the sampler for a missing claim.</param>
/// <param name="Message">What is wrong or changed, with the numbers and the tolerance.</param>
public sealed record GateFinding(bool IsRegression, string Key, string Message)
{
    /// <summary>Wrong (a verdict), changed (golden drift) or a note; drift unless set.</summary>
    public GateFindingKind Kind { get; init; } = IsRegression ? GateFindingKind.Changed : GateFindingKind.Note;
}

/// <summary>
/// Judges a current gate run and compares it with the baseline. Wrong (verdicts, <see cref="Correctness"/>): any
/// ladder that is FAIL under the current <see cref="OrderClaim"/> rule, in the current run or in the baseline re-judged
/// from its stored points, so a wrong sampler re-recorded with <c>baseline --force</c> still fails. Changed (drift): a series disappears; NFE changes at any N; an
/// exact-tier error changes (grows, or shrinks) by more than <see cref="RelativeTolerance"/>; a Monte Carlo error grows significantly in
/// a paired comparison of the per-sample values on identical seeds; a fitted order drops by more than
/// <see cref="OrderTolerance"/>; a PASS becomes something else.
/// </summary>
public static class GateComparer
{
    /// <summary>Exact-tier errors are deterministic; this only absorbs last-bit differences between machines.</summary>
    public const double RelativeTolerance = 1e-6;

    /// <summary>Largest accepted drop of a fitted order.</summary>
    public const double OrderTolerance = 0.1;

    /// <summary>One-sided z threshold of the paired test (false-alarm probability 5e-4 per comparison when a
    /// change leaves the error's distribution unchanged).</summary>
    public const double PairedZ = 3.29;

    /// <summary>A significant Monte Carlo growth must also exceed this fraction of the baseline error.</summary>
    public const double PracticalGrowth = 0.05;

    /// <summary>Whether two documents were measured with the same settings (else the comparison is meaningless): everything
    /// that determines the numbers, i.e. the ladders, the reference and strong-start counts, the seed and the three inputs of
    /// the per-ladder choice of the Monte Carlo pair count M (pilot size, cap, target half-width).</summary>
    public static string? SettingsMismatch(ReportDocument baseline, ReportDocument current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var a = baseline.Settings;
        var b = current.Settings;
        if (baseline.Preset != current.Preset) return $"the baseline was measured with preset '{baseline.Preset}', the gate runs '{current.Preset}'";
        if (!a.ExactLadder.SequenceEqual(b.ExactLadder) || !a.MixtureLadder.SequenceEqual(b.MixtureLadder) || a.ReferenceSteps != b.ReferenceSteps
            || a.StrongStarts != b.StrongStarts || a.Seed != b.Seed)
            return "the baseline's ladders, strong start count or seed differ from the gate's";
        if (a.MonteCarloSamples != b.MonteCarloSamples || a.MaxMonteCarloSamples != b.MaxMonteCarloSamples || a.TargetRelativeHalfWidth != b.TargetRelativeHalfWidth)
            return $"the baseline's Monte Carlo sample choice (pilot {a.MonteCarloSamples}, cap {Show(a.MaxMonteCarloSamples)}, target half-width {Show(a.TargetRelativeHalfWidth)}) " +
                $"differs from the gate's (pilot {b.MonteCarloSamples}, cap {Show(b.MaxMonteCarloSamples)}, target half-width {Show(b.TargetRelativeHalfWidth)})";
        return null;
    }

    private static string Show<T>(T? v) where T : struct => v is T x ? string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}", x) : "not recorded";

    /// <summary>All findings: verdicts first (<see cref="Correctness"/>), then drift in baseline order, then new series.
    /// The baseline is re-judged under the current rule before its fits and verdicts are compared.</summary>
    public static List<GateFinding> Compare(ReportDocument baseline, ReportDocument current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        baseline = Judging.Rejudge(baseline);
        var findings = Correctness(baseline, current);
        var now = current.Series.ToDictionary(s => s.Key);
        var registered = current.Series.Select(s => s.Sampler).ToHashSet();
        foreach (var old in baseline.Series)
        {
            if (!now.TryGetValue(old.Key, out var cur))
            {
                findings.Add(new(true, old.Key, registered.Contains(old.Sampler)
                    ? "series disappeared (the sampler no longer declares this order, or no longer applies to this schedule)"
                    : $"sampler '{old.Sampler}' disappeared from the registry"));
                continue;
            }
            findings.AddRange(ComparePoints(old, cur));
            findings.AddRange(CompareFit(old, cur));
        }
        var before = baseline.Series.Select(s => s.Key).ToHashSet();
        foreach (var s in current.Series.Where(s => !before.Contains(s.Key)))
            findings.Add(new(false, s.Key, $"new series (not in the baseline): fitted order {Numbers.F(s.Fit.Order ?? double.NaN)}, {s.Verdict}; run the baseline verb to record it"));
        return findings;
    }

    /// <summary>Wrong findings: every FAIL row of the current run, and every FAIL row of the (re-judged) baseline whose
    /// sampler the current run still measures (a sampler that disappeared is reported as drift).</summary>
    public static List<GateFinding> Correctness(ReportDocument baseline, ReportDocument current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var findings = new List<GateFinding>();
        foreach (var s in current.Series.Where(s => s.Verdict == Verdict.Fail))
            findings.Add(new(true, s.Key, $"FAIL now: {s.Reason}") { Kind = GateFindingKind.Wrong });
        var failingNow = current.Series.Where(s => s.Verdict == Verdict.Fail).Select(s => s.Key).ToHashSet();
        var measured = current.Series.Select(s => s.Sampler).ToHashSet();
        foreach (var s in Judging.Rejudge(baseline).Series.Where(s => s.Verdict == Verdict.Fail && measured.Contains(s.Sampler) && !failingNow.Contains(s.Key)))
            findings.Add(new(true, s.Key, $"FAIL in the baseline (re-judged under the current rule): {s.Reason}; a FAIL is never accepted by re-recording") { Kind = GateFindingKind.Wrong });
        return findings;
    }

    /// <summary>Wrong findings for registered samplers that declare no order, so nothing could check them.</summary>
    public static IEnumerable<GateFinding> MissingClaims(IEnumerable<Verified.Numerics.SamplerInfo> samplers)
    {
        ArgumentNullException.ThrowIfNull(samplers);
        return samplers.Where(i => i.StrongOrder is null && i.WeakOrder is null)
            .Select(i => new GateFinding(true, i.Name, "declares neither a strong nor a weak order: no claim to check") { Kind = GateFindingKind.Wrong });
    }

    /// <summary>How many ladders the gate compared: those present in both the baseline and the current run.</summary>
    public static int ComparedCount(ReportDocument baseline, ReportDocument current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var now = current.Series.Select(s => s.Key).ToHashSet();
        return baseline.Series.Count(s => now.Contains(s.Key));
    }

    private static IEnumerable<GateFinding> ComparePoints(SeriesResult old, SeriesResult cur)
    {
        var byN = cur.Points.ToDictionary(p => p.N);
        foreach (var p in old.Points)
        {
            if (!byN.TryGetValue(p.N, out var q)) { yield return new(true, old.Key, $"N={p.N}: missing from the current run"); continue; }
            if (p.Nfe != q.Nfe) yield return new(true, old.Key, $"N={p.N}: NFE changed {p.Nfe} -> {q.Nfe}");
            var growth = old.Tier == Tier.MonteCarlo ? PairedGrowth(old.Metric, p, q) : ExactGrowth(p, q);
            if (growth is not null) yield return growth with { Key = old.Key };
        }
    }

    /// <summary>Exact-tier errors are deterministic functions of the sampler's formula, so any change beyond the
    /// tolerance means the formula changed. Growth is a regression; so is a decrease, because a wrong formula can be
    /// more accurate on a given problem (the docs' drill: a DDPM variance between beta~ and beta lowers the error at
    /// these N while no longer being the declared method). An intended improvement is accepted by re-recording.</summary>
    private static GateFinding? ExactGrowth(LadderPoint p, LadderPoint q)
    {
        if (!double.IsFinite(q.Error))
            return new(true, "", $"N={p.N}: error {Numbers.E(p.Error)} -> {q.Error}");
        if (p.Dropped == DropReason.RoundOff)
        {
            // Below the round-off floor the digits are noise: only a gross change counts there.
            return q.Error > 100 * p.Error
                ? new(true, "", $"N={p.N}: error {Numbers.E(p.Error)} -> {Numbers.E(q.Error)} (x{Ratio(q.Error, p.Error)}; tolerance x100 below the round-off floor)")
                : null;
        }
        if (q.Error > p.Error * (1 + RelativeTolerance))
            return new(true, "", $"N={p.N}: error {Numbers.E(p.Error)} -> {Numbers.E(q.Error)} (x{Ratio(q.Error, p.Error)}; tolerance +{RelativeTolerance.ToString("0e0", CultureInfo.InvariantCulture)} relative)");
        if (q.Error < p.Error * (1 - RelativeTolerance))
            return new(true, "", $"N={p.N}: error changed {Numbers.E(p.Error)} -> {Numbers.E(q.Error)} (x{Ratio(q.Error, p.Error)}): the exact output changed; if intended, re-record with baseline --force");
        return null;
    }

    /// <summary>Paired comparison on identical seeds: d_i = sign * (current_i - baseline_i) where the error is
    /// |mean| of the per-sample values (weak) or sqrt(mean) of squared distances (strong); growth is significant
    /// when mean(d) &gt; z * sd(d)/sqrt(M) and larger than <see cref="PracticalGrowth"/> of the baseline error.</summary>
    private static GateFinding? PairedGrowth(Metric metric, LadderPoint p, LadderPoint q)
    {
        if (p.Samples is null || q.Samples is null || p.Samples.Length != q.Samples.Length || p.Samples.Length < 2)
            return new(true, "", $"N={p.N}: per-sample values missing or of different length (baseline {p.Samples?.Length ?? 0}, current {q.Samples?.Length ?? 0}); re-record the baseline");
        bool strong = metric.IsStrong;
        double sign = strong ? 1 : Math.Sign(p.Samples.Average()) is var s && s != 0 ? s : 1;
        var d = p.Samples.Zip(q.Samples, (a, b) => sign * (b - a)).ToArray();
        double mean = d.Average();
        double sd = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / (d.Length - 1));
        double se = sd / Math.Sqrt(d.Length);
        double baseStat = strong ? p.Samples.Average() : Math.Abs(p.Samples.Average());
        if (mean > PairedZ * se && mean > PracticalGrowth * baseStat)
            return new(true, "", $"N={p.N}: error {Numbers.E(p.Error)} -> {Numbers.E(q.Error)}; paired growth {Numbers.E(mean)} per sample, z = {(se > 0 ? (mean / se).ToString("0.0", CultureInfo.InvariantCulture) : "inf")} > {PairedZ}");
        return null;
    }

    private static IEnumerable<GateFinding> CompareFit(SeriesResult old, SeriesResult cur)
    {
        if (old.Fit.Order is double before)
        {
            if (cur.Fit.Order is not double after)
                yield return new(true, old.Key, $"fitted order {Numbers.F(before)} -> none (no asymptotic window any more)");
            else if (after < before - OrderTolerance)
                yield return new(true, old.Key, $"fitted order {Numbers.F(before)} -> {Numbers.F(after)} (tolerance -{OrderTolerance})");
        }
        if (old.Verdict == Verdict.Pass && cur.Verdict != Verdict.Pass)
            yield return new(true, old.Key, $"verdict PASS -> {cur.Verdict}: {cur.Reason}");
    }

    private static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("0.###", CultureInfo.InvariantCulture) : "inf";
}
