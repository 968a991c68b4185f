using System.Text.Json.Nodes;
using Verified.Reports.Cli;
using Verified.Reports.Tests.Network;

namespace Verified.Reports.Tests.Cli;

/// <summary>check-network, report --model and gate --model as gates: an untrained network misses the default threshold (exit 1), a briefly trained one
/// meets it (exit 0), and a checkpoint checked against data it was not trained on is refused (exit 2). Training is
/// kept small (800 steps of a 32-wide MLP) so the class runs in test time; the default threshold (0.25) lies between
/// the measured untrained (0.98) and briefly trained (0.18 after 400 steps) errors (docs/GPU.md).</summary>
public class NetworkThresholdTests
{
    private static readonly Lazy<(string Trained, string Untrained, string Dir)> Checkpoints = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "verified-network-gate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string trained = Path.Combine(dir, "trained.ckpt"), untrained = Path.Combine(dir, "untrained.ckpt");
        string[] small = ["--hidden", "32", "--layers", "2", "--batch", "256"];
        Assert.Equal(ExitCodes.Ok, CommandTree.Run(["train", "--out", trained, "--steps", "800", .. small], new StringWriter()));
        Assert.Equal(ExitCodes.Ok, CommandTree.Run(["train", "--out", untrained, "--steps", "1", .. small], new StringWriter()));
        return (trained, untrained, dir);
    });

    private static int Check(string checkpoint, string outDir, params string[] extra) =>
        CommandTree.Run(["check-network", "--checkpoint", checkpoint, "--samples", "2000", "--out-dir", outDir, .. extra], new StringWriter());

    [Fact]
    public void An_untrained_network_fails_with_exit_1_and_a_trained_one_passes()
    {
        var (trained, untrained, dir) = Checkpoints.Value;
        Assert.Equal(1, Check(untrained, Path.Combine(dir, "untrained-out")));
        Assert.Equal(ExitCodes.Ok, Check(trained, Path.Combine(dir, "trained-out")));
    }

    [Fact]
    public void A_threshold_below_the_trained_networks_error_fails_it()
    {
        var (trained, _, dir) = Checkpoints.Value;
        Assert.Equal(1, Check(trained, Path.Combine(dir, "strict-out"), "--max-relative-error", "1e-6"));
    }

    [Theory]
    [InlineData("--modes", "8")]
    [InlineData("--radius", "3")]
    [InlineData("--std", "0.1")]
    public void Checking_against_data_the_network_was_not_trained_on_exits_2_and_writes_nothing(string option, string value)
    {
        var (trained, _, dir) = Checkpoints.Value;
        var outDir = Path.Combine(dir, "mismatch-" + option.TrimStart('-'));
        Assert.Equal(ExitCodes.UsageOrInput, Check(trained, outDir, option, value));
        Assert.False(Directory.Exists(outDir), "output written for a mismatched checkpoint");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("NaN")]
    public void An_invalid_threshold_exits_2(string value)
    {
        var (trained, _, dir) = Checkpoints.Value;
        Assert.Equal(ExitCodes.UsageOrInput, Check(trained, Path.Combine(dir, "bad-threshold"), "--max-relative-error", value));
    }

    private static readonly string[] OneSampler = ["--samplers", "ddim(eta=0)", "--model-samples", "1000", "--model-steps", "16"];

    private static int Report(string model, string outDir, params string[] extra) =>
        CommandTree.Run(["report", "--quick", "--problems", "gauss-1d", "--no-gate", "--out", outDir, "--model", model, .. OneSampler, .. extra], new StringWriter());

    private static JsonArray Networks(string outDir) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!["network"]!.AsArray();

    [Fact]
    public void Report_with_an_untrained_model_writes_a_failing_network_section_and_exits_1_and_a_trained_one_passes()
    {
        var (trained, untrained, dir) = Checkpoints.Value;
        string bad = Path.Combine(dir, "report-untrained"), good = Path.Combine(dir, "report-trained");
        Assert.Equal(ExitCodes.Regression, Report(untrained, bad));
        Assert.Equal(ExitCodes.Ok, Report(trained, good));
        var failing = Assert.Single(Networks(bad));
        Assert.Equal("FAIL", (string)failing!["verdict"]!);
        var passing = Assert.Single(Networks(good));
        Assert.Equal("PASS", (string)passing!["verdict"]!);
        var row = Assert.Single(passing["samplers"]!.AsArray());
        Assert.Equal("ddim(eta=0)", (string)row!["sampler"]!);
        Assert.True((double)row["relativeDistance"]! < (double)Assert.Single(failing["samplers"]!.AsArray())!["relativeDistance"]!);
        Assert.Equal(20, passing["errorCurve"]!.AsArray().Count);
        Assert.Contains("## Network (1)", File.ReadAllText(Path.Combine(good, "report.md")));
        Assert.Contains("id=\"network\"", File.ReadAllText(Path.Combine(good, "report.html")));
        Assert.True(File.Exists(Path.Combine(good, "figures", "network-1-error.png")));
    }

    [Fact]
    public void Gate_with_a_model_exits_1_for_an_untrained_network_and_0_for_a_trained_one()
    {
        var (trained, untrained, _) = Checkpoints.Value;
        int Gate(string model) => CommandTree.Run(["gate", "--model", model, .. OneSampler], new StringWriter());
        Assert.Equal(ExitCodes.Regression, Gate(untrained));
        Assert.Equal(ExitCodes.Ok, Gate(trained));
    }

    [Fact]
    public void A_law_distance_bound_below_the_trained_networks_fails_it()
    {
        var (trained, _, dir) = Checkpoints.Value;
        Assert.Equal(ExitCodes.Regression, Report(trained, Path.Combine(dir, "report-strict"), "--max-law-distance", "1e-3"));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("corrupt")]
    [InlineData("other-law")]
    [InlineData("bad-bound")]
    public void Report_and_gate_with_a_bad_model_exit_2_and_write_nothing(string fault)
    {
        var (trained, _, dir) = Checkpoints.Value;
        var corrupt = Path.Combine(dir, "corrupt.ckpt");
        File.WriteAllText(corrupt, "not a checkpoint");
        var (model, extra) = fault switch
        {
            "missing" => (Path.Combine(dir, "missing.ckpt"), Array.Empty<string>()),
            "corrupt" => (corrupt, []),
            "other-law" => (trained, ["--model-modes", "8"]),
            _ => (trained, ["--max-law-distance", "0"]),
        };
        var outDir = Path.Combine(dir, "bad-model-" + fault);
        Assert.Equal(ExitCodes.UsageOrInput, Report(model, outDir, extra));
        Assert.False(Directory.Exists(outDir), $"{fault}: report written for a bad --model");
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["gate", "--model", model, .. OneSampler, .. extra], new StringWriter()));
    }

    [Fact]
    public void A_users_network_classes_load_from_their_assembly_and_are_judged_each()
    {
        // This test assembly exposes two NetworkUnderTest types: the exact Gaussian eps network and an untrained MLP.
        var (_, _, dir) = Checkpoints.Value;
        string assembly = typeof(ExactGaussianEpsNetwork).Assembly.Location, outDir = Path.Combine(dir, "report-user");
        Assert.Equal(ExitCodes.Regression, Report(assembly, outDir));
        var verdicts = Networks(outDir).ToDictionary(n => (string)n!["network"]!, n => (string)n!["verdict"]!);
        Assert.Equal(new Dictionary<string, string> { ["user-exact-gaussian"] = "PASS", ["user-untrained-mlp"] = "FAIL" }, verdicts);
        Assert.Equal(1, Check(assembly, Path.Combine(dir, "check-user")));
        var csv = File.ReadAllText(Path.Combine(dir, "check-user", "network-error.csv"));
        Assert.Contains("user-exact-gaussian", csv);
        Assert.Contains("user-untrained-mlp", csv);
    }
}
