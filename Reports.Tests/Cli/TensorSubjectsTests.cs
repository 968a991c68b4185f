using Verified.Reports.Cli;

namespace Verified.Reports.Tests.Cli;

/// <summary>--tensor adds the shipped tensor samplers (through the adapter) as subjects; float32 rows get the
/// error-floor table; a bad dtype is a usage error.</summary>
public class TensorSubjectsTests
{
    [Fact]
    public void Tensor_subjects_are_measured_with_verdicts_and_float32_gets_the_floor_table()
    {
        using var dir = new Fixtures.TempDir();
        var outDir = Path.Combine(dir.Path, "report");
        Assert.Equal(ExitCodes.Ok, CommandTree.Run(["report", "--quick", "--problems", "gauss-1d", "--no-gate", "--out", outDir,
            "--tensor", "float64,float32", "--only-assembly", "--samplers", "tensor-heun[float64],tensor-heun[float32]"]));
        var json = File.ReadAllText(Path.Combine(outDir, "report.json"));
        Assert.Contains("\"tensor-heun[float64]\"", json);
        Assert.Contains("\"tensor-heun[float32]\"", json);
        Assert.DoesNotContain("\"sampler\": \"heun\"", json); // --only-assembly leaves the CPU built-ins out
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("## float32 error floor", md);
        var floorRows = md[md.IndexOf("## float32 error floor", StringComparison.Ordinal)..].Split('\n')
            .TakeWhile(l => !l.StartsWith("## Figures", StringComparison.Ordinal)).Where(l => l.StartsWith("| tensor-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(floorRows);
        Assert.All(floorRows, r => Assert.Contains("[float32]", r)); // only float32 subjects in the table
    }

    [Fact]
    public void A_float64_only_report_has_no_floor_table()
    {
        using var dir = new Fixtures.TempDir();
        var outDir = Path.Combine(dir.Path, "report");
        Assert.Equal(ExitCodes.Ok, CommandTree.Run(["report", "--quick", "--problems", "gauss-1d", "--no-gate", "--out", outDir,
            "--tensor", "float64", "--samplers", "tensor-ddim(eta=0)[float64],ddim(eta=0)"]));
        Assert.DoesNotContain("float32 error floor", File.ReadAllText(Path.Combine(outDir, "report.md")));
    }

    [Fact]
    public void An_unknown_or_repeated_dtype_exits_2_naming_the_valid_ones()
    {
        foreach (var (args, expected) in new[]
        {
            (new[] { "report", "--quick", "--no-gate", "--tensor", "float16" }, "valid: float64, float32"),
            (["report", "--quick", "--no-gate", "--tensor", "float32,float32"], "names a dtype twice"),
        })
        {
            var error = new StringWriter();
            var saved = Console.Error;
            Console.SetError(error);
            int code;
            try { code = CommandTree.Run(args, error); }
            finally { Console.SetError(saved); }
            Assert.Equal(ExitCodes.UsageOrInput, code);
            Assert.Contains(expected, error.ToString());
        }
    }
}
