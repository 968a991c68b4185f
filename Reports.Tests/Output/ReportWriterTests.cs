using Verified.Reports.Analysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using Verified.Reports.Output;
using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Output;

public class ReportWriterTests
{
    private static readonly Provenance Facts = new("abc123", true, "2026-01-01 00:00:00 UTC", "box (2 cores, X64)", "Linux", ".NET 10", "0.107.0", "2.10.0", "gate", 12345, 1.5);

    [Fact]
    public void Writes_md_html_json_and_figures_and_every_linked_figure_exists()
    {
        using var dir = new Fixtures.TempDir();
        var target = Path.Combine(dir.Path, "out");
        var doc = Fixtures.Document(Fixtures.Exact(), Fixtures.Exact("pf-ode-euler", 1), Fixtures.MonteCarlo(Fixtures.Samples()));
        ReportWriter.Write(doc, target, new GateSummary("PASSED", "gate PASSED: 3 ladders match baseline.json", []), Facts);
        var files = Directory.GetFiles(target).Select(Path.GetFileName).ToList();
        Assert.Contains("report.md", files);
        Assert.Contains("report.html", files);
        Assert.Contains("report.json", files);
        var pngs = Directory.GetFiles(Path.Combine(target, ReportWriter.FigureFolder), "*.png");
        Assert.NotEmpty(pngs);
        Assert.All(pngs, p => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(p)[..4]));
        var html = File.ReadAllText(Path.Combine(target, "report.html"));
        // Every image is a file beside the page (offline), and every figure is shown.
        var sources = Regex.Matches(html, "src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.All(sources, s => Assert.True(File.Exists(Path.Combine(target, s)), $"broken image {s}"));
        Assert.All(pngs, p => Assert.Contains($"{ReportWriter.FigureFolder}/{Path.GetFileName(p)}", sources));
        Assert.DoesNotContain("data:image", html);
        // report.json is the document without per-sample values, reads back, and carries the gate and provenance.
        var json = ReportJson.Load(Path.Combine(target, "report.json"));
        Assert.Equal(doc.Series.Count, json.Series.Count);
        Assert.All(json.Series.SelectMany(s => s.Points), p => Assert.Null(p.Samples));
        using var raw = JsonDocument.Parse(File.ReadAllText(Path.Combine(target, "report.json")));
        Assert.Equal("PASSED", raw.RootElement.GetProperty("gate").GetProperty("status").GetString());
        Assert.Contains("abc123 (dirty", raw.RootElement.GetProperty("provenance").GetProperty("commit").GetString());
        var md = File.ReadAllText(Path.Combine(target, "report.md"));
        Assert.Contains("| heun | gauss-1d | vp-linear | exact | weak-w2 | 2.00 | 2.00 |", md);
    }

    [Fact]
    public void Both_pages_open_with_the_verdict_the_gate_and_the_matrix_and_put_non_pass_rows_before_the_ladders()
    {
        using var dir = new Fixtures.TempDir();
        var target = Path.Combine(dir.Path, "out");
        var failing = Fixtures.Exact("bad-sampler", 2) with { Verdict = Verdict.Fail, Reason = "fitted order 1.00 outside 2 +- 0.2; " + new string('x', 600) };
        var doc = Fixtures.Document(Fixtures.Exact(), failing);
        ReportWriter.Write(doc, target, new GateSummary("FAILED", "gate FAILED: 1 regression(s) in 1 ladder(s)", ["REGRESSION  heun | ..."]), Facts);
        foreach (var page in new[] { "report.md", "report.html" })
        {
            var text = File.ReadAllText(Path.Combine(target, page));
            int verdict = text.IndexOf("Verdict: 1 NOT PASS", StringComparison.Ordinal);
            int gate = text.IndexOf("Gate: FAILED", StringComparison.Ordinal);
            int matrix = text.IndexOf("Declared vs fitted orders", StringComparison.Ordinal);
            int nonPass = text.IndexOf("Ladders that did not pass (1)", StringComparison.Ordinal);
            int provenance = text.IndexOf("Provenance", StringComparison.Ordinal);
            int ladders = text.IndexOf("One row per ladder", StringComparison.Ordinal);
            Assert.True(verdict >= 0 && verdict < gate && gate < matrix && matrix < nonPass && nonPass < provenance && provenance < ladders,
                $"{page}: order verdict {verdict}, gate {gate}, matrix {matrix}, non-pass {nonPass}, provenance {provenance}, ladders {ladders}");
            // The 600-character explanation is behind a footnote, not in the non-PASS table's row.
            var row = text[nonPass..provenance];
            Assert.Contains("fitted order 1.00 outside 2 +- 0.2", row);
            Assert.DoesNotContain(new string('x', 100), row);
            Assert.Contains(new string('x', 600), text[ladders..]);
        }
    }

    [Fact]
    public void The_order_matrix_has_one_row_per_sampler_and_colours_the_failing_cell()
    {
        var failing = Fixtures.Exact("bad-sampler", 2) with { Verdict = Verdict.Fail };
        var matrix = OrderMatrix.Build(Fixtures.Document(Fixtures.Exact(), failing, Fixtures.MonteCarlo(Fixtures.Samples())));
        Assert.Equal(["heun", "bad-sampler", "reverse-sde-em"], matrix.Samplers);
        Assert.Equal([("gauss-1d", "vp-linear"), ("ring-2d", "vp-linear")], matrix.Columns);
        Assert.Equal(Verdict.Fail, matrix.Cells[("bad-sampler", "gauss-1d", "vp-linear")].Worst);
        Assert.Equal(Verdict.Pass, matrix.Cells[("heun", "gauss-1d", "vp-linear")].Worst);
        Assert.Contains($"fill=\"{OrderMatrix.Colour(Verdict.Fail)}\"", matrix.Svg());
        Assert.Equal(2, Regex.Matches(matrix.Svg(), $"fill=\"{OrderMatrix.Colour(Verdict.Fail)}\"").Count); // the cell and the legend
    }
}
