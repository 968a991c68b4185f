using System.Globalization;
using System.Net;
using System.Text;
using Verified.Reports.Analysis;
using Verified.Reports.Model;

namespace Verified.Reports.Output;

/// <summary>One cell of the order matrix: the ladders of one (sampler, problem, schedule), strong metrics first.</summary>
public sealed record MatrixCell(IReadOnlyList<SeriesResult> Series)
{
    /// <summary>FAIL over INCONCLUSIVE over PASS.</summary>
    public Verdict Worst => Series.Any(s => s.Verdict == Verdict.Fail) ? Verdict.Fail
        : Series.Any(s => s.Verdict != Verdict.Pass) ? Verdict.Inconclusive : Verdict.Pass;

    /// <summary>Fitted orders, "/"-separated in the row header's order (strong, then weak).</summary>
    public string Text => string.Join(" / ", Series.Select(s => s.Fit.Order is double o ? o.ToString("0.00", CultureInfo.InvariantCulture) : "n/a"));

    /// <summary>Every ladder of the cell in words (tooltips).</summary>
    public string Detail => string.Join("; ", Series.Select(s => $"{s.Metric}: declared {Numbers.F(s.DeclaredOrder)}, fitted {(s.Fit.Order is double o ? Numbers.F(o) : "n/a")}, {s.Verdict}"));
}

/// <summary>The sampler x (problem, schedule) matrix of declared vs fitted orders that opens the report: a
/// person sees in seconds which samplers hold their declared order where.</summary>
public sealed class OrderMatrix
{
    private OrderMatrix(List<string> samplers, List<(string Problem, string Schedule)> columns, Dictionary<(string, string, string), MatrixCell> cells, Dictionary<string, string> declared)
    {
        Samplers = samplers;
        Columns = columns;
        Cells = cells;
        Declared = declared;
    }

    /// <summary>Rows, in the report's order.</summary>
    public IReadOnlyList<string> Samplers { get; }

    /// <summary>Columns, grouped by problem.</summary>
    public IReadOnlyList<(string Problem, string Schedule)> Columns { get; }

    /// <summary>Cells by (sampler, problem, schedule); absent where the sampler does not apply.</summary>
    public IReadOnlyDictionary<(string, string, string), MatrixCell> Cells { get; }

    /// <summary>Each sampler's declared orders in words ("strong 1, weak 1").</summary>
    public IReadOnlyDictionary<string, string> Declared { get; }

    /// <summary>Strong metrics sort before weak ones; otherwise by name.</summary>
    private static int Rank(string metric) => metric.StartsWith("strong", StringComparison.Ordinal) ? 0 : 1;

    /// <summary>Builds the matrix of a report.</summary>
    public static OrderMatrix Build(ReportDocument report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var samplers = report.Series.Select(s => s.Sampler).Distinct().ToList();
        var problems = report.Series.Select(s => s.Problem).Distinct().ToList();
        var columns = report.Series.Select(s => (s.Problem, s.Schedule)).Distinct().OrderBy(c => problems.IndexOf(c.Problem)).ToList();
        var cells = report.Series.GroupBy(s => (s.Sampler, s.Problem, s.Schedule))
            .ToDictionary(g => g.Key, g => new MatrixCell(g.OrderBy(s => Rank(s.Metric)).ThenBy(s => s.Metric, StringComparer.Ordinal).ToList()));
        var declared = report.Series.GroupBy(s => s.Sampler).ToDictionary(g => g.Key, g => string.Join(", ",
            g.GroupBy(s => Rank(s.Metric)).OrderBy(k => k.Key).Select(k => (k.Key == 0 ? "strong " : "weak ")
                + string.Join("/", k.Select(s => Numbers.F(s.DeclaredOrder)).Distinct()))));
        return new OrderMatrix(samplers, columns, cells, declared);
    }

    /// <summary>Fill colours by verdict (colour-blind-safe pairs, with the verdict also in the tooltip and legend).</summary>
    public static string Colour(Verdict verdict) =>
        verdict == Verdict.Pass ? "#cfe8cf" : verdict == Verdict.Fail ? "#f4a6a6" : "#fde49c";

    /// <summary>The matrix as a Markdown table (verdicts spelled out where not PASS).</summary>
    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| sampler (declared) | " + string.Join(" | ", Columns.Select(c => $"{c.Problem}<br>{c.Schedule}")) + " |");
        sb.AppendLine("|---|" + string.Concat(Columns.Select(_ => "---|")));
        foreach (var s in Samplers)
        {
            sb.Append($"| {s} ({Declared[s]}) |");
            foreach (var (p, sc) in Columns)
                sb.Append(Cells.TryGetValue((s, p, sc), out var cell) ? $" {cell.Text}{(cell.Worst == Verdict.Pass ? "" : $" **{cell.Worst}**")} |" : " |");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>The matrix as an HTML table, cells coloured by verdict.</summary>
    public string Html()
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder("<table class=\"matrix\"><tr><th>sampler (declared orders)</th>");
        foreach (var (p, sc) in Columns) sb.Append($"<th>{H(p)}<br>{H(sc)}</th>");
        sb.Append("</tr>");
        foreach (var s in Samplers)
        {
            sb.Append($"<tr><th class=\"row\">{H(s)} <span class=\"decl\">({H(Declared[s])})</span></th>");
            foreach (var (p, sc) in Columns)
                sb.Append(Cells.TryGetValue((s, p, sc), out var cell)
                    ? $"<td class=\"{cell.Worst}\" title=\"{H(cell.Detail)}\">{H(cell.Text)}{(cell.Worst == Verdict.Pass ? "" : $" <b>{H(cell.Worst == Verdict.Fail ? "FAIL" : "INC")}</b>")}</td>"
                    : "<td class=\"na\"></td>");
            sb.Append("</tr>");
        }
        return sb.Append("</table>").ToString();
    }

    /// <summary>The matrix as an SVG heat map (one coloured square per cell, fitted orders written in it).</summary>
    public string Svg()
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        const int cellW = 92, cellH = 20, top = 64;
        int left = 10 + 7 * Samplers.Select(s => s.Length + Declared[s].Length + 3).DefaultIfEmpty(10).Max();
        int width = left + cellW * Columns.Count + 10, height = top + cellH * Samplers.Count + 40;
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        for (int c = 0; c < Columns.Count; c++)
        {
            int x = left + c * cellW + cellW / 2;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{top - 26}\" text-anchor=\"middle\" font-weight=\"bold\">{H(Columns[c].Problem)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{top - 10}\" text-anchor=\"middle\">{H(Columns[c].Schedule)}</text>");
        }
        for (int r = 0; r < Samplers.Count; r++)
        {
            int y = top + r * cellH;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{y + 14}\" text-anchor=\"end\">{H(Samplers[r])} ({H(Declared[Samplers[r]])})</text>");
            for (int c = 0; c < Columns.Count; c++)
            {
                if (!Cells.TryGetValue((Samplers[r], Columns[c].Problem, Columns[c].Schedule), out var cell)) continue;
                int x = left + c * cellW;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{cellW - 2}\" height=\"{cellH - 2}\" fill=\"{Colour(cell.Worst)}\"><title>{H(cell.Detail)}</title></rect>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + cellW / 2 - 1}\" y=\"{y + 13}\" text-anchor=\"middle\"{(cell.Worst == Verdict.Pass ? "" : " font-weight=\"bold\"")}>{H(cell.Text)}</text>");
            }
        }
        int ly = top + cellH * Samplers.Count + 16;
        int lx = 10;
        foreach (var (v, label) in new[] { (Verdict.Pass, "PASS: fitted order matches the declared one"), (Verdict.Inconclusive, "INCONCLUSIVE"), (Verdict.Fail, "FAIL") })
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"{ly - 10}\" width=\"14\" height=\"12\" fill=\"{Colour(v)}\"/><text x=\"{lx + 18}\" y=\"{ly}\">{H(label)}</text>");
            lx += 30 + 7 * label.Length;
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx}\" y=\"{ly}\">cell: fitted orders (strong / weak); row: declared orders</text>");
        return sb.Append("</svg>").ToString();
    }
}
