using System.Globalization;
using Verified.Numerics;
using Verified.Reports.Analysis;
using Verified.Reports.Experiments;
using Verified.Reports.Model;

namespace Verified.Reports;

/// <summary>A sampler did not meet its declared orders; the message holds the report's rows of the failing ladders.</summary>
public sealed class DeclaredOrderException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Summary and table rows.</param>
    /// <param name="failing">The ladders that failed.</param>
    public DeclaredOrderException(string message, IReadOnlyList<SeriesResult> failing) : base(message) => Failing = failing;

    /// <summary>The ladders whose verdict was not accepted.</summary>
    public IReadOnlyList<SeriesResult> Failing { get; }
}

/// <summary>
/// A test assertion for xunit, NUnit, MSTest or Expecto (it throws, which every framework reports as a failure):
/// measures a sampler with <see cref="Verify.Samplers"/> and throws <see cref="DeclaredOrderException"/> unless every
/// ladder is PASS. Example (xunit): <c>[Fact] public void Midpoint_has_order_2() =&gt; OrderAssert.MeetsDeclaredOrders(new Midpoint());</c>
/// </summary>
public static class OrderAssert
{
    /// <summary>Throws unless every ladder of <paramref name="sampler"/> is PASS (and at least one was measured).</summary>
    /// <param name="sampler">The sampler under test.</param>
    /// <param name="preset">Default <see cref="Preset.Quick"/> (seconds per sampler).</param>
    /// <param name="problems">Problem names; null = the preset's.</param>
    /// <param name="allowInconclusive">Accept INCONCLUSIVE ladders (the ladder did not reach its asymptotic regime, or
    /// Monte Carlo noise hides it); FAIL is never accepted.</param>
    /// <returns>The measured document, for further checks.</returns>
    /// <exception cref="DeclaredOrderException">a ladder failed, or the sampler declares no order that can be measured.</exception>
    public static ReportDocument MeetsDeclaredOrders(Sampler sampler, Preset? preset = null, IReadOnlyList<string>? problems = null, bool allowInconclusive = false)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        var doc = Verify.Samplers([sampler], preset ?? Preset.Quick, problems);
        if (doc.Series.Count == 0)
            throw new DeclaredOrderException($"{sampler.Info.Name}: no ladder was measured ({string.Join("; ", doc.Notes)})", []);
        var failing = doc.Series.Where(s => s.Verdict != Verdict.Pass && !(allowInconclusive && s.Verdict == Verdict.Inconclusive)).ToList();
        if (failing.Count > 0)
            throw new DeclaredOrderException(
                $"{sampler.Info.Name}: {failing.Count} of {doc.Series.Count} ladders do not meet the declared order (preset {doc.Preset})" + Environment.NewLine + ReportRows.Format(failing),
                failing);
        return doc;
    }
}

/// <summary>Plain-text rows of a report (summary row per ladder, then its points), as in report.md.</summary>
public static class ReportRows
{
    /// <summary>One summary row per ladder (sampler | problem | schedule | tier | metric | declared | fitted | 95% CI |
    /// window | verdict | reason), each followed by its points (N, NFE, error, 95% half-width, dropped).</summary>
    public static string Format(IEnumerable<SeriesResult> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var lines = new List<string> { "| sampler | problem | schedule | tier | metric | declared | fitted | 95% CI | window N | verdict | reason |" };
        foreach (var s in series)
        {
            string ci = s.Fit.CiLow is null ? "n/a" : $"[{F(s.Fit.CiLow)}, {F(s.Fit.CiHigh)}]";
            string window = s.Fit.WindowFrom > 0 ? $"{s.Fit.WindowFrom}..{s.Fit.WindowTo}" : "none";
            lines.Add($"| {s.Sampler} | {s.Problem} | {s.Schedule} | {s.Tier} | {s.Metric} | {Numbers.F(s.DeclaredOrder)} | {F(s.Fit.Order)} | {ci} | {window} | {s.Verdict} | {s.Reason} |");
            foreach (var p in s.Points)
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"|   N={p.N} | NFE={p.Nfe} | error={Numbers.E(p.Error)} | +-{(p.HalfWidth > 0 ? Numbers.E(p.HalfWidth) : "0")} | {p.Dropped ?? "used"} |"));
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static string F(double? v) => v is double d ? Numbers.F(d) : "n/a";
}
