using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Verified.Gpu;
using Verified.Reports.Network;

namespace Verified.Reports.Output;

/// <summary>The report's "Network" section (report --model): per network, its verdict against the thresholds, the error
/// against the exact predictor per noise level, and each sampler driven by it against the same sampler driven by the
/// exact oracle.</summary>
public static class NetworkSection
{
    private const string Intro =
        "Each network is held to the exact oracle of the data law it was trained for. Error per noise level: E|f - f*|^2 / d in the " +
        "network's parameterisation on exact draws x_t ~ p_t, relative = over E|f*|^2 / d. Sampled law: the sampler is run from the " +
        "same exact starts x_T ~ p_T with the same noise once driven by the network and once by the exact model; the coupled " +
        "distance sqrt(E|X_net - X_exact|^2) bounds W2 between the two output laws from above (relative: over sqrt(E|x|^2) under " +
        "p_t_min). The mean and second-moment errors are against the exact p_t_min, for both runs (the exact run shows the sampler's own share).";

    /// <summary>One figure per network: its error curve.</summary>
    public static List<Figure> Figures(IReadOnlyList<NetworkStudyResult> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        return networks.Select((n, i) => new Figure($"network-{i + 1}-error.png", $"Network {n.Network}: error against the exact predictor per t",
            ErrorCurvePlot.Png([($"{n.Network} ({n.Target})", n.Curve)]))).ToList();
    }

    /// <summary>The "network" array of report.json.</summary>
    public static JsonArray Json(IReadOnlyList<NetworkStudyResult> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var array = new JsonArray();
        foreach (var n in networks)
        {
            array.Add(new JsonObject
            {
                ["network"] = n.Network, ["origin"] = n.Origin, ["target"] = n.Target, ["schedule"] = n.Schedule, ["trainedOn"] = n.TrainedOn,
                ["verdict"] = n.Verdict, ["misses"] = new JsonArray(n.Misses().Select(m => (JsonNode)m!).ToArray()),
                ["maxRelativeError"] = n.Thresholds.MaxRelativeError, ["maxLawDistance"] = n.Thresholds.MaxLawDistance,
                ["averagedRelativeError"] = n.AveragedRelativeError,
                ["errorCurve"] = new JsonArray(n.Curve.Select(p => (JsonNode)new JsonObject
                {
                    ["t"] = p.Time, ["mse"] = p.MeanSquaredError, ["standardError"] = p.StandardError,
                    ["exactMeanSquare"] = p.ExactMeanSquare, ["relativeError"] = p.RelativeError,
                }).ToArray()),
                ["samplers"] = new JsonArray(n.Samplers.Select(r => (JsonNode)new JsonObject
                {
                    ["sampler"] = r.Sampler, ["steps"] = r.Steps, ["samples"] = r.Samples,
                    ["coupledDistance"] = r.CoupledDistance, ["coupledStandardError"] = r.CoupledStandardError, ["relativeDistance"] = r.RelativeDistance,
                    ["networkMeanError"] = r.NetworkMeanError, ["oracleMeanError"] = r.OracleMeanError,
                    ["networkSecondMomentError"] = r.NetworkSecondMomentError, ["oracleSecondMomentError"] = r.OracleSecondMomentError,
                }).ToArray()),
                ["skipped"] = new JsonArray(n.Skipped.Select(s => (JsonNode)s!).ToArray()),
            });
        }
        return array;
    }

    /// <summary>The Markdown section (empty when no network was checked).</summary>
    public static string Markdown(IReadOnlyList<NetworkStudyResult> networks, IReadOnlyList<Figure> figures)
    {
        ArgumentNullException.ThrowIfNull(networks);
        if (networks.Count == 0) return "";
        var sb = new StringBuilder();
        sb.AppendLine($"## Network ({networks.Count})").AppendLine().AppendLine(Intro).AppendLine();
        for (int i = 0; i < networks.Count; i++)
        {
            var n = networks[i];
            sb.AppendLine($"### {n.Network}: {n.Verdict}").AppendLine();
            sb.AppendLine($"- {n.Origin}; target {n.Target}; schedule {n.Schedule}; trained on {n.TrainedOn}");
            sb.AppendLine($"- time-averaged relative error {E(n.AveragedRelativeError)} (threshold {E(n.Thresholds.MaxRelativeError)}); " +
                $"relative coupled distance threshold {E(n.Thresholds.MaxLawDistance)}");
            foreach (var m in n.Misses()) sb.AppendLine($"- **miss:** {m}");
            foreach (var s in n.Skipped) sb.AppendLine($"- not run: {s}");
            sb.AppendLine().AppendLine("| t | E\\|f - f*\\|^2 / d | std. error | relative |").AppendLine("|---|---|---|---|");
            foreach (var p in n.Curve) sb.AppendLine($"| {F(p.Time)} | {E(p.MeanSquaredError)} | {E(p.StandardError)} | {E(p.RelativeError)} |");
            sb.AppendLine().AppendLine(SamplerHeader.Markdown).AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var r in n.Samplers) sb.AppendLine("| " + string.Join(" | ", Cells(r)) + " |");
            sb.AppendLine().AppendLine($"![{figures[i].Caption}]({ReportWriter.FigureFolder}/{figures[i].FileName})").AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>The HTML section (empty when no network was checked).</summary>
    public static string Html(IReadOnlyList<NetworkStudyResult> networks, IReadOnlyList<Figure> figures)
    {
        ArgumentNullException.ThrowIfNull(networks);
        if (networks.Count == 0) return "";
        static string H(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.AppendLine($"<h2 id=\"network\">Network ({networks.Count})</h2><p class=\"foot\">{H(Intro)}</p>");
        for (int i = 0; i < networks.Count; i++)
        {
            var n = networks[i];
            string cls = n.Verdict == "PASS" ? "PASS" : "FAIL";
            sb.AppendLine($"<h3 class=\"{cls}\">{H(n.Network)}: {H(n.Verdict)}</h3><ul class=\"foot\"><li>{H(n.Origin)}; target {H(n.Target)}; schedule {H(n.Schedule)}; trained on {H(n.TrainedOn)}</li>");
            sb.AppendLine($"<li>time-averaged relative error {E(n.AveragedRelativeError)} (threshold {E(n.Thresholds.MaxRelativeError)}); relative coupled distance threshold {E(n.Thresholds.MaxLawDistance)}</li>");
            foreach (var m in n.Misses()) sb.AppendLine($"<li><b>miss:</b> {H(m)}</li>");
            foreach (var s in n.Skipped) sb.AppendLine($"<li>not run: {H(s)}</li>");
            sb.AppendLine("</ul><table><tr><th>t</th><th>E|f - f*|^2 / d</th><th>std. error</th><th>relative</th></tr>");
            foreach (var p in n.Curve) sb.AppendLine($"<tr><td>{F(p.Time)}</td><td>{E(p.MeanSquaredError)}</td><td>{E(p.StandardError)}</td><td>{E(p.RelativeError)}</td></tr>");
            sb.AppendLine("</table><table><tr>" + string.Concat(SamplerHeader.Columns.Select(c => $"<th>{H(c)}</th>")) + "</tr>");
            foreach (var r in n.Samplers) sb.AppendLine("<tr>" + string.Concat(Cells(r).Select(c => $"<td>{H(c)}</td>")) + "</tr>");
            sb.AppendLine($"</table><figure><img alt=\"{H(figures[i].Caption)}\" src=\"{ReportWriter.FigureFolder}/{H(figures[i].FileName)}\"><figcaption>{H(figures[i].Caption)}</figcaption></figure>");
        }
        return sb.ToString();
    }

    private static class SamplerHeader
    {
        public static readonly string[] Columns =
            ["sampler", "N", "samples", "coupled distance (W2 bound)", "relative", "mean error, network", "mean error, exact", "E|x|^2/d error, network", "E|x|^2/d error, exact"];

        public static string Markdown => "| " + string.Join(" | ", Columns.Select(c => c.Replace("|", "\\|"))) + " |";
    }

    private static IEnumerable<string> Cells(SamplerLawRow r) =>
    [
        r.Sampler, r.Steps.ToString(CultureInfo.InvariantCulture), r.Samples.ToString(CultureInfo.InvariantCulture),
        $"{E(r.CoupledDistance)} ± {E(r.CoupledStandardError)}", E(r.RelativeDistance), E(r.NetworkMeanError), E(r.OracleMeanError),
        E(r.NetworkSecondMomentError), E(r.OracleSecondMomentError),
    ];

    private static string E(double v) => v.ToString("0.000e0", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
