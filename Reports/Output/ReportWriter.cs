using System.Net;
using System.Text;
using Verified.Reports.Model;
using Verified.Reports.Storage;

namespace Verified.Reports.Output;

/// <summary>Writes report.md, report.html (self-contained: PNGs embedded as data URIs), report.json and the PNG
/// figures into an output directory, atomically (all or nothing).</summary>
public static class ReportWriter
{
    /// <summary>Writes every output file of <paramref name="report"/> to <paramref name="outDirectory"/>.</summary>
    public static void Write(ReportDocument report, string outDirectory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = Figures.Render(report);
        var tables = Tables.Build(report);
        AtomicDirectory.Write(outDirectory, dir =>
        {
            foreach (var f in figures) File.WriteAllBytes(Path.Combine(dir, f.FileName), f.Png);
            File.WriteAllText(Path.Combine(dir, "report.json"), ReportJson.Serialize(report.WithoutSamples()));
            File.WriteAllText(Path.Combine(dir, "report.md"), Markdown(report, tables, figures));
            File.WriteAllText(Path.Combine(dir, "report.html"), Html(report, tables, figures));
        });
    }

    private static string Heading(ReportDocument r) =>
        $"Sampler convergence report ({r.Preset} preset, schema {r.Schema})";

    private static string Markdown(ReportDocument report, List<Table> tables, List<Figure> figures)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {Heading(report)}").AppendLine();
        sb.AppendLine($"**Verdicts:** {Tables.Counts(report)}.").AppendLine();
        sb.AppendLine($"Seed {report.Settings.Seed}; tier-0 ladder N = {string.Join(", ", report.Settings.ExactLadder)}; tier-1 ladder N = {string.Join(", ", report.Settings.MixtureLadder)}; " +
            $"fine-path reference N = {report.Settings.ReferenceSteps}; {report.Settings.StrongStarts} strong start points; {report.Settings.MonteCarloSamples} Monte Carlo samples.").AppendLine();
        foreach (var note in report.Notes) sb.AppendLine($"- {note}");
        if (report.Notes.Count > 0) sb.AppendLine();
        foreach (var t in tables)
        {
            sb.AppendLine($"## {t.Title}").AppendLine().AppendLine(t.Intro).AppendLine();
            sb.AppendLine("| " + string.Join(" | ", t.Header) + " |");
            sb.AppendLine("|" + string.Concat(t.Header.Select(_ => "---|")));
            foreach (var row in t.Rows) sb.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |");
            sb.AppendLine();
        }
        sb.AppendLine("## Figures").AppendLine();
        foreach (var f in figures) sb.AppendLine($"![{f.Caption}]({f.FileName})").AppendLine();
        return sb.ToString();
    }

    private static string Html(ReportDocument report, List<Table> tables, List<Figure> figures)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.AppendLine($"<title>{H(Heading(report))}</title>");
        sb.AppendLine("<style>body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:13px;margin-bottom:2em}" +
            "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}th{background:#eee}.PASS{background:#dfd}.FAIL{background:#fdd}" +
            ".INCONCLUSIVE{background:#ffd}img{max-width:48%;margin:4px;border:1px solid #ddd}</style></head><body>");
        sb.AppendLine($"<h1>{H(Heading(report))}</h1><p><b>Verdicts:</b> {H(Tables.Counts(report))}.</p>");
        if (report.Notes.Count > 0) sb.AppendLine("<ul>" + string.Concat(report.Notes.Select(n => $"<li>{H(n)}</li>")) + "</ul>");
        foreach (var t in tables)
        {
            int verdictColumn = Array.IndexOf(t.Header, "verdict");
            sb.AppendLine($"<h2>{H(t.Title)}</h2><p>{H(t.Intro)}</p><table><tr>{string.Concat(t.Header.Select(h => $"<th>{H(h)}</th>"))}</tr>");
            foreach (var row in t.Rows)
            {
                string cls = verdictColumn >= 0 ? $" class=\"{H(row[verdictColumn])}\"" : "";
                sb.AppendLine($"<tr{cls}>{string.Concat(row.Select(c => $"<td>{H(c)}</td>"))}</tr>");
            }
            sb.AppendLine("</table>");
        }
        sb.AppendLine("<h2>Figures</h2>");
        foreach (var f in figures)
            sb.AppendLine($"<img alt=\"{H(f.Caption)}\" title=\"{H(f.Caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(f.Png)}\">");
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }
}
