using System.Text.RegularExpressions;
using Verified.Reports.Output;
using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Output;

public class ReportWriterTests
{
    [Fact]
    public void Writes_md_html_json_and_pngs_and_the_html_is_self_contained()
    {
        using var dir = new Fixtures.TempDir();
        var target = Path.Combine(dir.Path, "out");
        var doc = Fixtures.Document(Fixtures.Exact(), Fixtures.Exact("pf-ode-euler", 1), Fixtures.MonteCarlo(Fixtures.Samples()));
        ReportWriter.Write(doc, target);
        var files = Directory.GetFiles(target).Select(Path.GetFileName).ToList();
        Assert.Contains("report.md", files);
        Assert.Contains("report.html", files);
        Assert.Contains("report.json", files);
        var pngs = Directory.GetFiles(target, "*.png");
        Assert.NotEmpty(pngs);
        Assert.All(pngs, p => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(p)[..4]));
        var html = File.ReadAllText(Path.Combine(target, "report.html"));
        // Every image is embedded; nothing is loaded from elsewhere.
        Assert.Equal(pngs.Length, Regex.Matches(html, "src=\"data:image/png;base64,").Count);
        Assert.DoesNotMatch("src=\"(?!data:)", html);
        // report.json is the document without per-sample values, and reads back.
        var json = ReportJson.Load(Path.Combine(target, "report.json"));
        Assert.Equal(doc.Series.Count, json.Series.Count);
        Assert.All(json.Series.SelectMany(s => s.Points), p => Assert.Null(p.Samples));
        var md = File.ReadAllText(Path.Combine(target, "report.md"));
        Assert.Contains("| heun | gauss-1d | vp-linear | exact | weak-w2 | 2.00 | 2.00 |", md);
    }
}
