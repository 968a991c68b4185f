using Verified.Reports.Model;
using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Storage;

public class ReportJsonTests
{
    [Fact]
    public void Round_trip_preserves_every_value()
    {
        var doc = Fixtures.Document(Fixtures.Exact(), Fixtures.MonteCarlo(Fixtures.Samples()));
        var text = ReportJson.Serialize(doc);
        var back = ReportJson.Deserialize(text, "test");
        Assert.Equal(text, ReportJson.Serialize(back));
        // Values compared field by field, not only through the serializer.
        Assert.Equal(doc.Series[1].Points[1].Samples, back.Series[1].Points[1].Samples);
        Assert.Equal(doc.Series[0].Points[2].Error, back.Series[0].Points[2].Error);
        Assert.Equal(doc.Settings.Seed, back.Settings.Seed);
    }

    [Fact]
    public void Non_finite_errors_survive_the_round_trip()
    {
        var s = Fixtures.Exact();
        s = s with { Points = [s.Points[0] with { Error = double.PositiveInfinity }, .. s.Points.Skip(1)] };
        var back = ReportJson.Deserialize(ReportJson.Serialize(Fixtures.Document(s)), "test");
        Assert.True(double.IsPositiveInfinity(back.Series[0].Points[0].Error));
    }

    public static TheoryData<string, string> BadFiles()
    {
        var good = ReportJson.Serialize(Fixtures.Document(Fixtures.Exact()));
        return new()
        {
            { "", "not a valid report" },
            { "null", "JSON null" },
            { "{ not json", "not a valid report" },
            { good[..(good.Length / 2)], "not a valid report" },
            { good.Replace(ReportDocument.CurrentSchema, "verified-report/0"), "schema" },
            { good.Replace("\"series\":", "\"seriesRenamed\":"), "not a valid report" },
            { good.Replace("\"preset\": \"gate\"", "\"preset\": null"), "not a valid report" },
            { good.Replace("\"n\": 4,", "\"n\": 0,"), "N must be >= 1" },
            { good.Replace("\"n\": 4,", "\"n\": \"four\","), "not a valid report" },
        };
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Malformed_truncated_or_foreign_files_are_refused_with_a_clear_message(string text, string expected)
    {
        var e = Assert.Throws<InputFileException>(() => ReportJson.Deserialize(text, "baseline.json"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("baseline.json", e.Message);
        // The parser's own wording (type names, byte positions) stays out of the user's message.
        Assert.DoesNotContain("System.", e.Message);
        Assert.DoesNotContain("BytePositionInLine", e.Message);
    }

    [Fact]
    public void A_directory_is_named_as_one()
    {
        using var dir = new Fixtures.TempDir();
        var e = Assert.Throws<InputFileException>(() => ReportJson.Load(dir.Path));
        Assert.Contains("is a directory", e.Message);
    }

    [Fact]
    public void Missing_file_is_an_input_error()
    {
        var e = Assert.Throws<InputFileException>(() => ReportJson.Load("/nonexistent/dir/baseline.json"));
        Assert.Contains("cannot read", e.Message);
    }

    [Fact]
    public void Atomic_save_replaces_the_file_and_leaves_no_temporary()
    {
        using var dir = new Fixtures.TempDir();
        var path = Path.Combine(dir.Path, "b.json");
        File.WriteAllText(path, "old");
        ReportJson.SaveAtomically(Fixtures.Document(Fixtures.Exact()), path);
        Assert.Equal("gate", ReportJson.Load(path).Preset);
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
