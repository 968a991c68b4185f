using Verified.Reports.Cli;
using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Storage;

/// <summary>The network verbs under the rule "never overwrite a file Verified did not write": train refuses an existing
/// --out unless --force (checked before training), check-network writes its folder through the marked-directory rule of
/// the report (a folder of the user's files is refused, a file of theirs named like an output stops the run).</summary>
public class NetworkOutputSafetyTests
{
    private static readonly string[] Tiny = ["--hidden", "8", "--layers", "1", "--batch", "16", "--steps", "1"];

    private static int Run(params string[] args) => CommandTree.Run(args, new StringWriter());

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllText);

    [Fact]
    public void Train_refuses_an_existing_file_without_force_and_replaces_it_with_force()
    {
        using var dir = new Fixtures.TempDir();
        var target = Path.Combine(dir.Path, "notes.ckpt");
        File.WriteAllText(target, "a user's file");
        Assert.Equal(ExitCodes.UsageOrInput, Run(["train", "--out", target, .. Tiny]));
        Assert.Equal("a user's file", File.ReadAllText(target));
        Assert.Equal(ExitCodes.Ok, Run(["train", "--out", target, "--force", .. Tiny]));
        using (var loaded = Gpu.Checkpoint.Load(target)) Assert.Equal(8, loaded.Config.Hidden);
        Assert.Equal(["notes.ckpt"], Directory.GetFiles(dir.Path).Select(Path.GetFileName)); // no temporary file left
    }

    [Fact]
    public void Check_network_refuses_a_folder_of_user_files_and_rewrites_its_own()
    {
        using var dir = new Fixtures.TempDir();
        var checkpoint = Path.Combine(dir.Path, "net.ckpt");
        Assert.Equal(ExitCodes.Ok, Run(["train", "--out", checkpoint, .. Tiny]));
        var users = Path.Combine(dir.Path, "mine");
        Directory.CreateDirectory(users);
        File.WriteAllText(Path.Combine(users, "network-error.csv"), "a user's table");
        var before = Snapshot(users);
        string[] check = ["check-network", "--checkpoint", checkpoint, "--samples", "50", "--max-relative-error", "1e9"];
        Assert.Equal(ExitCodes.UsageOrInput, Run([.. check, "--out-dir", users]));
        Assert.Equal(before, Snapshot(users));

        var own = Path.Combine(dir.Path, "own");
        Assert.Equal(ExitCodes.Ok, Run([.. check, "--out-dir", own]));
        Assert.Equal(["network-error.csv", "network-error.png"], AtomicDirectory.OwnedFiles(own).Order());
        File.WriteAllText(Path.Combine(own, "notes.txt"), "kept");
        Assert.Equal(ExitCodes.Ok, Run([.. check, "--out-dir", own]));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(own, "notes.txt")));
        Assert.StartsWith("curve,t,mse", File.ReadAllText(Path.Combine(own, "network-error.csv")));
    }

    [Fact]
    public void A_failed_atomic_write_leaves_the_old_file_and_no_temporary()
    {
        using var dir = new Fixtures.TempDir();
        var target = Path.Combine(dir.Path, "baseline.json");
        File.WriteAllText(target, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, temp =>
        {
            File.WriteAllText(temp, "half");
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal(["baseline.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        AtomicFile.WriteText(target, "new");
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(["baseline.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
