using Verified.Reports.Analysis;
using Verified.Reports.Gate;
using Verified.Reports.Model;
using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Storage;

/// <summary>The two-file baseline: reviewable (one line per ladder), stable under re-recording, exact, and every
/// malformed case refused with a message that says what is wrong.</summary>
public class BaselineFileTests
{
    private static ReportDocument Document() => Fixtures.Document(Fixtures.Exact(), Fixtures.Exact("ddim", 1), Fixtures.MonteCarlo(Fixtures.Samples()));

    private static string Save(Fixtures.TempDir dir, ReportDocument doc, string name = "baseline.json")
    {
        var path = Path.Combine(dir.Path, name);
        BaselineFile.Save(doc, path);
        return path;
    }

    [Fact]
    public void Round_trip_keeps_what_the_gate_compares_so_it_finds_nothing()
    {
        using var dir = new Fixtures.TempDir();
        var doc = Document();
        var back = BaselineFile.Load(Save(dir, doc));
        Assert.Empty(GateComparer.Compare(back, Judging.Rejudge(doc))); // the gate re-judges the baseline under the current rule
        Assert.Null(GateComparer.SettingsMismatch(back, doc));
        // Values compared field by field, not only through the comparer.
        Assert.Equal(doc.Series[2].Points[1].Samples, back.Series[2].Points[1].Samples);
        Assert.Equal(doc.Series[0].Points.Select(p => (p.N, p.Nfe, p.Error, p.Dropped)), back.Series[0].Points.Select(p => (p.N, p.Nfe, p.Error, p.Dropped)));
        Assert.Equal(doc.Series.Select(s => (s.Key, s.Tier, s.Fit.Order, s.Verdict)), back.Series.Select(s => (s.Key, s.Tier, s.Fit.Order, s.Verdict)));
    }

    [Fact]
    public void A_changed_sample_is_seen_by_the_gate_after_the_round_trip()
    {
        using var dir = new Fixtures.TempDir();
        var back = BaselineFile.Load(Save(dir, Document()));
        var worse = Fixtures.Document(Fixtures.Exact(), Fixtures.Exact("ddim", 1), Fixtures.MonteCarlo(Fixtures.Samples(shift: 0.05)));
        Assert.Contains(GateComparer.Compare(back, worse), f => f.IsRegression);
    }

    [Fact]
    public void Recording_twice_with_the_same_numerics_gives_identical_bytes_whatever_the_wall_times_and_reasons()
    {
        using var dir = new Fixtures.TempDir();
        var first = Document();
        var second = first with
        {
            Series = first.Series.Select(s => s with { Reason = "prose " + Guid.NewGuid(), Points = s.Points.Select(p => p with { SecondsPerSample = Random.Shared.NextDouble() }).ToList() }).ToList(),
            Notes = ["another note"],
        };
        var a = Save(dir, first, "a.json");
        var b = Save(dir, second, "b.json");
        Assert.Equal(File.ReadAllText(a).Replace("a.samples.json", "X"), File.ReadAllText(b).Replace("b.samples.json", "X"));
        Assert.Equal(File.ReadAllBytes(BaselineFile.SamplesPath(a)), File.ReadAllBytes(BaselineFile.SamplesPath(b)));
        // And a baseline read back and written again is unchanged.
        var c = Save(dir, BaselineFile.Load(a), "a.json");
        Assert.Equal(File.ReadAllText(b).Replace("b.samples.json", "a.samples.json"), File.ReadAllText(c));
    }

    [Fact]
    public void The_main_file_has_one_line_per_ladder_and_no_wall_times_or_reasons()
    {
        using var dir = new Fixtures.TempDir();
        var doc = Document();
        var lines = File.ReadAllLines(Save(dir, doc));
        Assert.Equal(doc.Series.Count + 4, lines.Length);
        foreach (var s in doc.Series) Assert.Single(lines, l => l.Contains($"\"sampler\":\"{s.Sampler}\"") && l.Contains($"\"metric\":\"{s.Metric}\""));
        Assert.DoesNotContain(lines, l => l.Contains("secondsPerSample") || l.Contains("reason") || l.Contains("definitions"));
        var sidecar = File.ReadAllLines(BaselineFile.SamplesPath(Path.Combine(dir.Path, "baseline.json")));
        Assert.Equal(doc.Series.Sum(s => s.Points.Count(p => p.Samples is not null)) + 2, sidecar.Length);
    }

    public static TheoryData<string, string> BadMainFiles()
    {
        using var dir = new Fixtures.TempDir();
        var good = File.ReadAllText(Save(dir, Document()));
        return new()
        {
            { "", "is empty" },
            { "   \n", "is empty" },
            { "null", "JSON null" },
            { "{ not json", "not a valid baseline" },
            { good[..(good.Length / 2)], "truncated" },
            { good.Replace(BaselineFile.Schema, "verified-baseline/9"), "schema 'verified-baseline/9'" },
            { ReportJson.Serialize(Document()), "old one-value-per-line format" },
            { good.Replace("\"series\":", "\"seriesRenamed\":"), "missing or mistyped field" },
            { good.Replace("\"nfe\":8", "\"nfe\":\"eight\""), "$.series" },
            { good.Replace("\"n\":4,", "\"n\":0,"), "N = 0" },
        };
    }

    [Theory]
    [MemberData(nameof(BadMainFiles))]
    public void Malformed_main_files_are_refused_with_a_clear_message(string text, string expected)
    {
        using var dir = new Fixtures.TempDir();
        var path = Save(dir, Document());
        File.WriteAllText(path, text);
        var e = Assert.Throws<InputFileException>(() => BaselineFile.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain("System.", e.Message);
    }

    [Fact]
    public void A_directory_a_missing_file_another_preset_and_a_missing_or_foreign_sidecar_are_refused()
    {
        using var dir = new Fixtures.TempDir();
        var path = Save(dir, Document());
        Assert.Contains("is a directory", Assert.Throws<InputFileException>(() => BaselineFile.Load(dir.Path)).Message);
        Assert.Contains("does not exist", Assert.Throws<InputFileException>(() => BaselineFile.Load(Path.Combine(dir.Path, "nope.json"))).Message);
        Assert.Contains("preset 'gate', the gate runs 'default'", Assert.Throws<InputFileException>(() => BaselineFile.Load(path, "default")).Message);

        var sidecar = BaselineFile.SamplesPath(path);
        var goodSidecar = File.ReadAllText(sidecar);
        File.WriteAllText(sidecar, goodSidecar.Replace("\"preset\":\"gate\"", "\"preset\":\"quick\""));
        Assert.Contains("belongs to preset 'quick'", Assert.Throws<InputFileException>(() => BaselineFile.Load(path)).Message);
        File.WriteAllText(sidecar, goodSidecar.Replace("\"n\":8,", "\"n\":9,"));
        Assert.Contains("no per-sample values", Assert.Throws<InputFileException>(() => BaselineFile.Load(path)).Message);
        var line = goodSidecar.Split('\n')[1];
        var samples = line[(line.IndexOf("\"samples\":\"", StringComparison.Ordinal) + 11)..line.LastIndexOf('"')];
        File.WriteAllText(sidecar, goodSidecar.Replace(samples, samples[..^4] + "A==="));
        Assert.Contains("not valid base64", Assert.Throws<InputFileException>(() => BaselineFile.Load(path)).Message);
        File.WriteAllText(sidecar, goodSidecar.Replace(samples, "AAAA"));
        Assert.Contains("not a whole number of doubles", Assert.Throws<InputFileException>(() => BaselineFile.Load(path)).Message);
        File.Delete(sidecar);
        Assert.Contains("per-sample file", Assert.Throws<InputFileException>(() => BaselineFile.Load(path)).Message);
    }
}
