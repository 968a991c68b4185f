using Verified.Reports.Cli;
using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Cli;

/// <summary>Exit codes for user mistakes. Every case here fails before any experiment runs.</summary>
public class CommandLineTests
{
    private static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        int code = CommandTree.Run(args, error);
        return (code, error.ToString());
    }

    [Theory]
    [InlineData(new string[0], "Required command")]
    [InlineData(new[] { "report", "--bogus" }, "--bogus")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public void Parse_errors_exit_2(string[] args, string expected)
    {
        var (code, error) = Run(args);
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Help_exits_0_on_every_verb()
    {
        foreach (var verb in new[] { "report", "gate", "baseline", "list", "train", "check-network" })
            Assert.Equal(ExitCodes.Ok, CommandTree.Run([verb, "--help"]));
    }

    [Fact]
    public void Conflicting_presets_and_unknown_names_exit_2()
    {
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["report", "--quick", "--full"]));
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["report", "--samplers", "no-such-sampler"]));
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["report", "--problems", "gauss-99d"]));
    }

    [Fact]
    public void Report_into_a_file_exits_2_before_measuring()
    {
        using var dir = new Fixtures.TempDir();
        var file = Path.Combine(dir.Path, "not-a-directory");
        File.WriteAllText(file, "keep me");
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["report", "--out", file]));
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void Report_with_a_missing_explicit_baseline_exits_2_before_measuring()
    {
        var missing = Path.Combine(Path.GetTempPath(), "verified-no-such-baseline-" + Guid.NewGuid().ToString("N") + ".json");
        var outDir = Path.Combine(Path.GetTempPath(), "verified-unused-" + Guid.NewGuid().ToString("N"));
        var (code, _) = Run("report", "--quick", "--out", outDir, "--baseline", missing);
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.False(Directory.Exists(outDir), "a report was written although the gate's baseline is missing");
    }

    [Fact]
    public void Gate_with_a_missing_baseline_exits_2()
    {
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["gate", "--baseline", "/nonexistent/baseline.json"]));
    }

    [Fact]
    public void Gate_with_a_truncated_baseline_exits_2()
    {
        using var dir = new Fixtures.TempDir();
        var path = Path.Combine(dir.Path, "baseline.json");
        var good = ReportJson.Serialize(Fixtures.Document(Fixtures.Exact()));
        File.WriteAllText(path, good[..(good.Length / 3)]);
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["gate", "--baseline", path]));
    }

    [Fact]
    public void Baseline_refuses_to_overwrite_without_force()
    {
        using var dir = new Fixtures.TempDir();
        var path = Path.Combine(dir.Path, "baseline.json");
        File.WriteAllText(path, "precious");
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["baseline", "--baseline", path]));
        Assert.Equal("precious", File.ReadAllText(path));
    }

    [Fact]
    public void Unexpected_exceptions_become_one_line_and_exit_3()
    {
        var error = new StringWriter();
        int code = VerbRunner.Run(() => throw new NullReferenceException("boom"), error);
        Assert.Equal(ExitCodes.Internal, code);
        Assert.Contains("internal error (NullReferenceException): boom", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }
}
