using Verified.Reports.Cli;

namespace Verified.Reports.Tests.Cli;

/// <summary>The network verbs reject bad input with exit code 2 before training or writing anything.</summary>
public class NetworkCommandTests
{
    private static string Scratch()
    {
        var dir = Path.Combine(Path.GetTempPath(), "verified-network-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Theory]
    [InlineData("--modes", "0")]
    [InlineData("--radius", "-1")]
    [InlineData("--steps", "0")]
    [InlineData("--lr", "NaN")]
    [InlineData("--dropout", "1.5")]
    [InlineData("--schedule", "no-such-schedule")]
    [InlineData("--target", "Score")]
    [InlineData("--hidden", "0")]
    public void Train_with_an_invalid_option_exits_2_and_writes_no_checkpoint(string option, string value)
    {
        var dir = Scratch();
        var checkpoint = Path.Combine(dir, "net.ckpt");
        int code = CommandTree.Run(["train", "--out", checkpoint, "--steps", "5", option, value], new StringWriter());
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.False(File.Exists(checkpoint), $"{option} {value}: a checkpoint was written despite the error");
    }

    [Fact]
    public void Check_network_with_a_missing_or_corrupt_checkpoint_exits_2_and_writes_nothing()
    {
        var dir = Scratch();
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(ExitCodes.UsageOrInput,
            CommandTree.Run(["check-network", "--checkpoint", Path.Combine(dir, "missing.ckpt"), "--out-dir", outDir], new StringWriter()));
        var corrupt = Path.Combine(dir, "corrupt.ckpt");
        File.WriteAllText(corrupt, "not a checkpoint");
        Assert.Equal(ExitCodes.UsageOrInput,
            CommandTree.Run(["check-network", "--checkpoint", corrupt, "--out-dir", outDir], new StringWriter()));
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "output written for a bad checkpoint");
    }

    [Fact]
    public void Help_exits_0_on_the_network_verbs()
    {
        foreach (var verb in new[] { "train", "check-network" })
            Assert.Equal(ExitCodes.Ok, CommandTree.Run([verb, "--help"], new StringWriter()));
    }
}
