using System.Globalization;
using Verified.Reports.Analysis;
using Verified.Reports.Model;

namespace Verified.Reports.Output;

/// <summary>A titled table of plain-text cells, rendered by both the Markdown and the HTML writer.</summary>
public sealed record Table(string Title, string Intro, string[] Header, List<string[]> Rows);

/// <summary>The tables of a report, built once from the data.</summary>
public static class Tables
{
    /// <summary>Scientific notation with 3 significant digits.</summary>
    public static string E(double v) => Numbers.E(v);

    private static string F(double? v) => v is double d ? Numbers.F(d) : "n/a";

    /// <summary>Verdict counts, one line.</summary>
    public static string Counts(ReportDocument report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var counts = report.Series.GroupBy(s => s.Verdict).ToDictionary(g => g.Key, g => g.Count());
        return string.Join(", ", new[] { Verdict.Pass, Verdict.Fail, Verdict.Inconclusive }
            .Select(v => $"{counts.GetValueOrDefault(v)} {v}")) + $" of {report.Series.Count} ladders";
    }

    /// <summary>All tables, in report order.</summary>
    public static List<Table> Build(ReportDocument report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var tables = new List<Table>
        {
            new("Summary", "One row per ladder. Fitted order = least-squares slope on the finest window of N whose local orders agree; CI = 95% (regression t-interval, widened by the Monte Carlo error in the monte-carlo tier).",
                ["sampler", "problem", "schedule", "tier", "metric", "declared", "fitted", "95% CI", "window N", "verdict", "reason / notes"],
                report.Series.Select(s => new[]
                {
                    s.Sampler, s.Problem, s.Schedule, s.Tier, s.Metric, Numbers.F(s.DeclaredOrder), F(s.Fit.Order),
                    s.Fit.CiLow is null ? "n/a" : $"[{F(s.Fit.CiLow)}, {F(s.Fit.CiHigh)}]",
                    s.Fit.WindowFrom > 0 ? $"{s.Fit.WindowFrom}..{s.Fit.WindowTo}" : "none", s.Verdict, s.Reason,
                }).ToList()),
            new("Schedules", "Sampling runs from the exact p_T at T down to t_min > 0; errors are measured against the exact law (or reference) at t_min.",
                ["schedule", "T", "t_min", "grid"],
                report.Settings.Schedules.Select(s => new[] { s.Name, s.TStart.ToString(CultureInfo.InvariantCulture), s.TMin.ToString(CultureInfo.InvariantCulture), s.Grid }).ToList()),
            new("Metrics", "How each error is defined.", ["metric", "definition"],
                report.Settings.Definitions.Select(kv => new[] { kv.Key, kv.Value }).ToList()),
            new("Ladders", "Every measured point. Dropped points are excluded from the fit (round-off floor, or Monte Carlo CI containing 0).",
                ["sampler", "problem", "schedule", "metric", "N", "NFE", "error", "95% half-width", "KL", "local order", "dropped"],
                report.Series.SelectMany(s => s.Points.Select((p, i) => new[]
                {
                    s.Sampler, s.Problem, s.Schedule, s.Metric, p.N.ToString(CultureInfo.InvariantCulture), p.Nfe.ToString(CultureInfo.InvariantCulture),
                    E(p.Error), p.HalfWidth > 0 ? E(p.HalfWidth) : "", p.Kl is double kl ? E(kl) : "",
                    LocalOrderAt(s, i), p.Dropped ?? "",
                })).ToList()),
        };
        if (report.DdpmStudy.Count > 0)
            tables.Add(new("DDPM variance choice", "Exact KL(output law || p_{t_min}) and W2 on Gaussian data, VP-linear, for each registered DDPM variance (sigma^2 = beta vs beta~). Reported, not asserted.",
                ["problem", "sampler", "N", "KL", "W2"],
                report.DdpmStudy.Select(r => new[] { r.Problem, r.Sampler, r.N.ToString(CultureInfo.InvariantCulture), E(r.Kl), E(r.W2) }).ToList()));
        if (FloorTable.Build(report) is { } floors) tables.Add(floors);
        return tables;
    }

    /// <summary>The local order between point i-1 and point i among the kept points ("" when i is not kept or first).</summary>
    private static string LocalOrderAt(SeriesResult s, int i)
    {
        var kept = s.Points.Select((p, k) => (p, k)).Where(t => t.p.Dropped is null).Select(t => t.k).ToList();
        int position = kept.IndexOf(i);
        return position >= 1 && position - 1 < s.Fit.LocalOrders.Count ? Numbers.F(s.Fit.LocalOrders[position - 1]) : "";
    }
}
