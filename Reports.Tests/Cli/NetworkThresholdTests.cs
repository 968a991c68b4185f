using Verified.Reports.Cli;

namespace Verified.Reports.Tests.Cli;

/// <summary>check-network as a gate: an untrained network misses the default threshold (exit 1), a briefly trained one
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
}
