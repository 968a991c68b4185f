using Verified.Reports.Cli;
using Verified.Reports.Experiments;
using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Cli;

/// <summary>gate --samplers: the baseline is judged only for the named samplers.</summary>
public class GateSubsetTests
{
    [Fact]
    public void A_subset_gate_ignores_baseline_rows_of_other_samplers_and_a_full_gate_does_not()
    {
        using var dir = new Fixtures.TempDir();
        var recorded = ReportRunner.Run(new RunRequest(Preset.Gate, ["heun"], ["gauss-1d"]));
        // A baseline row of a sampler the current run does not measure: "disappeared" unless the gate is restricted.
        var ghost = recorded.Series[0] with { Sampler = "ghost-sampler" };
        var path = Path.Combine(dir.Path, "baseline.json");
        BaselineFile.Save(recorded with { Series = [.. recorded.Series, ghost] }, path);

        var subset = new StringWriter();
        Assert.Equal(ExitCodes.Ok, GateCheck.Run(path, subset, new RunRequest(Preset.Gate, ["heun"], ["gauss-1d"])));
        Assert.DoesNotContain("ghost-sampler", subset.ToString());

        var all = new StringWriter();
        Assert.Equal(ExitCodes.Regression, GateCheck.Run(path, all, new RunRequest(Preset.Gate, null, ["gauss-1d"],
            Verified.Reports.Subjects.SamplerCatalog.BuiltIn.Only(["heun"]))));
        Assert.Contains("ghost-sampler", all.ToString());
    }
}
