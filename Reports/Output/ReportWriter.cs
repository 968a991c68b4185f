using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Verified.Reports.Analysis;
using Verified.Reports.Model;
using Verified.Reports.Storage;

namespace Verified.Reports.Output;

/// <summary>Writes report.md, report.html, report.json and figures/ (PNGs and the order-matrix SVG) into an
/// output directory, all or nothing, never touching a file Verified did not write (<see cref="AtomicDirectory"/>).
/// Both pages open with the summary: the verdict line, the gate's result, the order matrix; then the non-PASS
/// ladders with short reasons (full reasons as footnotes), the provenance, the full tables, and the figures.
/// The HTML links the figures beside it (viewable offline, small enough to open at once).</summary>
public static class ReportWriter
{
    /// <summary>The folder of figures inside the output directory.</summary>
    public const string FigureFolder = "figures";

    private const string MatrixFile = "order-matrix.svg";

    /// <summary>Writes every output file of <paramref name="report"/> to <paramref name="outDirectory"/>.</summary>
    /// <param name="report">the measured document.</param>
    /// <param name="outDirectory">the output directory.</param>
    /// <param name="gate">the gate's result (default: not run).</param>
    /// <param name="provenance">where and how it ran.</param>
    /// <param name="networks">the networks of report --model (the Network section; none when null or empty).</param>
    public static void Write(ReportDocument report, string outDirectory, GateSummary? gate = null, Provenance? provenance = null,
        IReadOnlyList<Network.NetworkStudyResult>? networks = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        gate ??= GateSummary.Skipped("not run");
        networks ??= [];
        var networkFigures = NetworkSection.Figures(networks);
        var figures = Figures.Render(report);
        var tables = Tables.Build(report);
        var matrix = OrderMatrix.Build(report);
        AtomicDirectory.Write(outDirectory, dir =>
        {
            var figureDir = Directory.CreateDirectory(Path.Combine(dir, FigureFolder)).FullName;
            foreach (var f in figures) File.WriteAllBytes(Path.Combine(figureDir, f.FileName), f.Png);
            File.WriteAllText(Path.Combine(figureDir, MatrixFile), matrix.Svg());
            foreach (var f in networkFigures) File.WriteAllBytes(Path.Combine(figureDir, f.FileName), f.Png);
            File.WriteAllText(Path.Combine(dir, "report.json"), Json(report, gate, provenance, networks));
            File.WriteAllText(Path.Combine(dir, "report.md"), Markdown(report, gate, provenance, matrix, tables, figures, NetworkSection.Markdown(networks, networkFigures)));
            File.WriteAllText(Path.Combine(dir, "report.html"), Html(report, gate, provenance, matrix, tables, figures, NetworkSection.Html(networks, networkFigures)));
        });
    }

    /// <summary>report.json: the document without per-sample values, plus "gate", "provenance" and, with --model, "network"
    /// (readers of the document skip them).</summary>
    private static string Json(ReportDocument report, GateSummary gate, Provenance? provenance, IReadOnlyList<Network.NetworkStudyResult> networks)
    {
        var node = JsonNode.Parse(ReportJson.Serialize(report.WithoutSamples()))!.AsObject();
        node["gate"] = new JsonObject { ["status"] = gate.Status, ["summary"] = gate.Summary, ["details"] = new JsonArray(gate.Details.Select(d => (JsonNode)d!).ToArray()) };
        if (provenance is not null)
        {
            var p = new JsonObject();
            foreach (var (label, value) in provenance.Rows()) p[label] = value;
            node["provenance"] = p;
        }
        if (networks.Count > 0) node["network"] = NetworkSection.Json(networks);
        return node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static string Heading(ReportDocument r) => $"Sampler convergence report ({r.Preset} preset)";

    /// <summary>The verdict line: PASS only when every ladder passed.</summary>
    public static string VerdictLine(ReportDocument report)
    {
        ArgumentNullException.ThrowIfNull(report);
        int bad = report.Series.Count(s => s.Verdict != Verdict.Pass);
        return (bad == 0 ? "ALL PASS" : $"{bad} NOT PASS") + $": {Tables.Counts(report)}";
    }

    /// <summary>The first clause of a reason, at most 110 characters; the full text goes to a footnote.</summary>
    public static string ShortReason(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        int cut = reason.IndexOfAny([';', '(']);
        var first = (cut > 0 ? reason[..cut] : reason).Trim().TrimEnd('.', ',', ':');
        return first.Length <= 110 ? first : first[..107] + "...";
    }

    private static List<SeriesResult> NonPass(ReportDocument r) =>
        r.Series.Where(s => s.Verdict != Verdict.Pass).OrderBy(s => s.Verdict == Verdict.Fail ? 0 : 1).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();

    private static string Fitted(SeriesResult s) => s.Fit.Order is double o ? Verdicts.F(o) : "n/a";

    private static string Markdown(ReportDocument report, GateSummary gate, Provenance? provenance, OrderMatrix matrix, List<Table> tables, List<Figure> figures, string network)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {Heading(report)}").AppendLine();
        sb.AppendLine($"**Verdict: {VerdictLine(report)}.**").AppendLine();
        sb.AppendLine($"**Gate: {gate.Status}** - {gate.Summary}").AppendLine();
        foreach (var d in gate.Details.Take(20)) sb.AppendLine($"- `{d}`");
        if (gate.Details.Count > 0) sb.AppendLine();
        sb.AppendLine("## Declared vs fitted orders").AppendLine();
        sb.AppendLine("Row: sampler and its declared orders. Cell: fitted orders (strong / weak metric) on that problem and schedule; non-PASS cells say so. " +
            $"Heat map: [{FigureFolder}/{MatrixFile}]({FigureFolder}/{MatrixFile}).").AppendLine();
        sb.AppendLine(matrix.Markdown());
        var nonPass = NonPass(report);
        sb.AppendLine($"## Ladders that did not pass ({nonPass.Count})").AppendLine();
        if (nonPass.Count > 0)
        {
            sb.AppendLine("| verdict | sampler | problem | schedule | metric | declared | fitted | reason |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|");
            for (int i = 0; i < nonPass.Count; i++)
            {
                var s = nonPass[i];
                sb.AppendLine($"| {s.Verdict} | {s.Sampler} | {s.Problem} | {s.Schedule} | {s.Metric} | {Verdicts.F(s.DeclaredOrder)} | {Fitted(s)} | {ShortReason(s.Reason).Replace("|", "\\|")} [^r{i + 1}] |");
            }
            sb.AppendLine();
        }
        sb.Append(network);
        sb.AppendLine("## Provenance").AppendLine();
        if (provenance is not null) foreach (var (label, value) in provenance.Rows()) sb.AppendLine($"- **{label}:** {value}");
        sb.AppendLine($"- **settings:** tier-0 ladder N = {string.Join(", ", report.Settings.ExactLadder)}; tier-1 ladder N = {string.Join(", ", report.Settings.MixtureLadder)}; " +
            $"fine-path reference N = {report.Settings.ReferenceSteps}; {report.Settings.StrongStarts} strong start points; {report.Settings.MonteCarloSamples} Monte Carlo samples");
        foreach (var note in report.Notes) sb.AppendLine($"- {note}");
        sb.AppendLine();
        foreach (var t in tables)
        {
            sb.AppendLine($"## {t.Title}").AppendLine().AppendLine(t.Intro).AppendLine();
            sb.AppendLine("| " + string.Join(" | ", t.Header) + " |");
            sb.AppendLine("|" + string.Concat(t.Header.Select(_ => "---|")));
            foreach (var row in t.Rows) sb.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |");
            sb.AppendLine();
        }
        sb.AppendLine("## Figures").AppendLine();
        foreach (var f in figures) sb.AppendLine($"- [{f.Caption}](#fig-{Anchor(f.FileName)})");
        sb.AppendLine();
        foreach (var f in figures) sb.AppendLine($"<a id=\"fig-{Anchor(f.FileName)}\"></a>").AppendLine($"![{f.Caption}]({FigureFolder}/{f.FileName})").AppendLine();
        if (nonPass.Count > 0)
            for (int i = 0; i < nonPass.Count; i++) sb.AppendLine($"[^r{i + 1}]: {nonPass[i].Key}: {nonPass[i].Reason}");
        return sb.ToString();
    }

    private static string Anchor(string fileName) => Path.GetFileNameWithoutExtension(fileName);

    private static string Html(ReportDocument report, GateSummary gate, Provenance? provenance, OrderMatrix matrix, List<Table> tables, List<Figure> figures, string network)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.AppendLine($"<title>{H(Heading(report))}</title>");
        sb.AppendLine("<style>body{font-family:sans-serif;margin:1em 2em;max-width:1800px}h1{font-size:22px;margin:.2em 0}h2{font-size:18px;margin-top:1.4em}" +
            "table{border-collapse:collapse;font-size:12px;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:2px 5px;text-align:left}th{background:#eee}" +
            ".PASS{background:#cfe8cf}.FAIL{background:#f4a6a6}.INCONCLUSIVE{background:#fde49c}.na{background:#fafafa}" +
            ".matrix{font-size:11px}.matrix td{text-align:center;white-space:nowrap;padding:1px 3px}.matrix th.row{white-space:nowrap;font-weight:normal}.decl{color:#555;font-size:11px}" +
            ".verdict{font-size:18px;font-weight:bold;padding:6px 10px;display:inline-block;margin:4px 0}.gate{font-size:15px;padding:4px 10px;display:inline-block}" +
            ".PASSED{background:#cfe8cf}.FAILED{background:#f4a6a6}.SKIPPED,.ERROR{background:#fde49c}" +
            "figure{display:inline-block;margin:6px;width:47%;vertical-align:top}figure img{width:100%;border:1px solid #ddd}figcaption{font-size:12px}" +
            ".foot{font-size:12px;color:#333}</style></head><body>");
        sb.AppendLine($"<h1>{H(Heading(report))}</h1>");
        var verdictClass = report.Series.Any(s => s.Verdict == Verdict.Fail) ? "FAIL" : report.Series.All(s => s.Verdict == Verdict.Pass) ? "PASS" : "INCONCLUSIVE";
        sb.AppendLine($"<div id=\"verdict\" class=\"verdict {verdictClass}\">Verdict: {H(VerdictLine(report))}</div><br>");
        sb.AppendLine($"<div id=\"gate\" class=\"gate {H(gate.Status)}\"><b>Gate: {H(gate.Status)}</b> &ndash; {H(gate.Summary)}</div>");
        if (gate.Details.Count > 0)
            sb.AppendLine("<details><summary>gate findings</summary><pre>" + H(string.Join("\n", gate.Details)) + "</pre></details>");
        sb.AppendLine("<h2 id=\"matrix\">Declared vs fitted orders</h2><p class=\"foot\">Row: sampler and its declared orders. Cell: fitted orders (strong / weak metric) " +
            $"on that problem and schedule, coloured by the worst verdict of its ladders (hover for details). Heat map: <a href=\"{FigureFolder}/{MatrixFile}\">{MatrixFile}</a>; non-PASS ladders below.</p>");
        sb.AppendLine(matrix.Html());
        var nonPass = NonPass(report);
        sb.AppendLine($"<h2 id=\"nonpass\">Ladders that did not pass ({nonPass.Count})</h2>");
        if (nonPass.Count > 0)
        {
            sb.AppendLine("<table><tr><th>verdict</th><th>sampler</th><th>problem</th><th>schedule</th><th>metric</th><th>declared</th><th>fitted</th><th>reason</th></tr>");
            for (int i = 0; i < nonPass.Count; i++)
            {
                var s = nonPass[i];
                sb.AppendLine($"<tr class=\"{H(s.Verdict)}\"><td>{H(s.Verdict)}</td><td>{H(s.Sampler)}</td><td>{H(s.Problem)}</td><td>{H(s.Schedule)}</td><td>{H(s.Metric)}</td>" +
                    $"<td>{H(Verdicts.F(s.DeclaredOrder))}</td><td>{H(Fitted(s))}</td><td>{H(ShortReason(s.Reason))} <a href=\"#r{i + 1}\"><sup>[{i + 1}]</sup></a></td></tr>");
            }
            sb.AppendLine("</table>");
        }
        sb.Append(network);
        sb.AppendLine($"<h2>Order heat map</h2><img id=\"heatmap\" alt=\"order matrix heat map\" src=\"{FigureFolder}/{MatrixFile}\">");
        sb.AppendLine("<h2 id=\"provenance\">Provenance</h2><table>");
        if (provenance is not null) foreach (var (label, value) in provenance.Rows()) sb.AppendLine($"<tr><th>{H(label)}</th><td>{H(value)}</td></tr>");
        sb.AppendLine($"<tr><th>settings</th><td>tier-0 N = {H(string.Join(", ", report.Settings.ExactLadder))}; tier-1 N = {H(string.Join(", ", report.Settings.MixtureLadder))}; " +
            $"reference N = {report.Settings.ReferenceSteps}; {report.Settings.StrongStarts} strong starts; {report.Settings.MonteCarloSamples} Monte Carlo samples</td></tr></table>");
        if (report.Notes.Count > 0) sb.AppendLine("<ul>" + string.Concat(report.Notes.Select(n => $"<li>{H(n)}</li>")) + "</ul>");
        sb.AppendLine("<h2>Figures</h2><ol class=\"foot\">" + string.Concat(figures.Select(f => $"<li><a href=\"#fig-{H(Anchor(f.FileName))}\">{H(f.Caption)}</a></li>")) + "</ol>");
        foreach (var t in tables)
        {
            int verdictColumn = Array.IndexOf(t.Header, "verdict");
            sb.AppendLine($"<h2>{H(t.Title)}</h2><p class=\"foot\">{H(t.Intro)}</p><table><tr>{string.Concat(t.Header.Select(h => $"<th>{H(h)}</th>"))}</tr>");
            foreach (var row in t.Rows)
            {
                string cls = verdictColumn >= 0 ? $" class=\"{H(row[verdictColumn])}\"" : "";
                sb.AppendLine($"<tr{cls}>{string.Concat(row.Select(c => $"<td>{H(c)}</td>"))}</tr>");
            }
            sb.AppendLine("</table>");
        }
        sb.AppendLine("<h2>Figure gallery</h2>");
        foreach (var f in figures)
            sb.AppendLine($"<figure id=\"fig-{H(Anchor(f.FileName))}\"><img loading=\"lazy\" alt=\"{H(f.Caption)}\" src=\"{FigureFolder}/{H(f.FileName)}\"><figcaption>{H(f.Caption)}</figcaption></figure>");
        if (nonPass.Count > 0)
        {
            sb.AppendLine("<h2>Reasons in full</h2><ol class=\"foot\">");
            for (int i = 0; i < nonPass.Count; i++) sb.AppendLine($"<li id=\"r{i + 1}\"><b>{H(nonPass[i].Key)}</b>: {H(nonPass[i].Reason)}</li>");
            sb.AppendLine("</ol>");
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }
}
