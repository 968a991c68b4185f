using System.Diagnostics;
using Verified.Reports.Cli;
using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Storage;

/// <summary>Verified never destroys a file it did not write: each case the issue found by hand, as a test.</summary>
public class OutputSafetyTests
{
    private static string ReportsDll => Path.Combine(AppContext.BaseDirectory, "Verified.Reports.dll");

    private static Process Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(ReportsDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["VERIFIED_TRACE"] = "1";
        return Process.Start(info)!;
    }

    private static (int Code, string Error) RunInProcess(params string[] args)
    {
        var error = new StringWriter();
        return (CommandTree.Run(args, error), error.ToString());
    }

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllText);

    [Fact]
    public void Report_out_dot_in_a_directory_of_user_files_exits_2_and_touches_nothing()
    {
        using var cwd = new Fixtures.TempDir();
        File.WriteAllText(Path.Combine(cwd.Path, "thesis.tex"), "years of work");
        Directory.CreateDirectory(Path.Combine(cwd.Path, "data"));
        File.WriteAllText(Path.Combine(cwd.Path, "data", "run1.csv"), "1,2,3");
        var before = Snapshot(cwd.Path);
        using var p = Start(cwd.Path, "report", "--quick", "--no-gate", "--out", ".");
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(ExitCodes.UsageOrInput, p.ExitCode);
        Assert.Contains("did not write", error);
        Assert.Equal(before, Snapshot(cwd.Path));
        Assert.Equal([Path.Combine(cwd.Path, "data")], Directory.GetDirectories(cwd.Path));
    }

    [Fact]
    public void Report_into_an_existing_directory_with_a_users_notes_exits_2_before_measuring()
    {
        using var root = new Fixtures.TempDir();
        var target = Path.Combine(root.Path, "results");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "notes.txt"), "my notes");
        var (code, _) = RunInProcess("report", "--quick", "--no-gate", "--out", target);
        Assert.Equal(ExitCodes.UsageOrInput, code);
        var refusal = Assert.Throws<OutputDirectoryException>(() => AtomicDirectory.Preflight(target));
        Assert.Contains(AtomicDirectory.MarkerName, refusal.Message);
        Assert.Equal("my notes", File.ReadAllText(Path.Combine(target, "notes.txt")));
        Assert.Single(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Fact]
    public void A_marked_directory_keeps_the_users_files_and_loses_only_Verifieds_stale_ones()
    {
        using var root = new Fixtures.TempDir();
        var target = Path.Combine(root.Path, "report");
        AtomicDirectory.Write(target, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "report.md"), "first");
            Directory.CreateDirectory(Path.Combine(dir, "figures"));
            File.WriteAllText(Path.Combine(dir, "figures", "old.png"), "old figure");
        });
        File.WriteAllText(Path.Combine(target, "notes.txt"), "my notes");
        AtomicDirectory.Write(target, dir => File.WriteAllText(Path.Combine(dir, "report.md"), "second"));
        Assert.Equal("second", File.ReadAllText(Path.Combine(target, "report.md")));
        Assert.Equal("my notes", File.ReadAllText(Path.Combine(target, "notes.txt")));
        Assert.False(Path.Exists(Path.Combine(target, "figures")), "Verified's figure from the first run (and its emptied folder) should be gone");
        Assert.Equal(["report.md"], AtomicDirectory.OwnedFiles(target));
    }

    [Fact]
    public void A_users_file_with_the_name_of_an_output_file_is_never_overwritten()
    {
        using var root = new Fixtures.TempDir();
        var target = Path.Combine(root.Path, "report");
        AtomicDirectory.Write(target, dir => File.WriteAllText(Path.Combine(dir, "report.md"), "first"));
        File.WriteAllText(Path.Combine(target, "report.html"), "the user's own page");
        Assert.Throws<OutputDirectoryException>(() => AtomicDirectory.Write(target, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "report.md"), "second");
            File.WriteAllText(Path.Combine(dir, "report.html"), "Verified's page");
        }));
        Assert.Equal("the user's own page", File.ReadAllText(Path.Combine(target, "report.html")));
        Assert.Equal("first", File.ReadAllText(Path.Combine(target, "report.md")));
        Assert.Equal([target], Directory.GetDirectories(root.Path));
    }

    [Fact]
    public void Stale_staging_directories_of_dead_runs_are_removed_and_live_or_foreign_ones_kept()
    {
        using var root = new Fixtures.TempDir();
        var target = Path.Combine(root.Path, "report");
        string Make(string name)
        {
            var d = Path.Combine(root.Path, name);
            Directory.CreateDirectory(d);
            File.WriteAllText(Path.Combine(d, "report.md"), "half");
            return d;
        }
        // A pid that does not run: a finished child's.
        using var child = Process.Start(new ProcessStartInfo("true"))!;
        child.WaitForExit();
        var dead = Make($".report.staging-{child.Id}-{Guid.NewGuid():N}");
        var legacy = Make($".report.staging-{Guid.NewGuid():N}");
        var live = Make($".report.staging-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var foreign = Make(".report.staging-mine");
        AtomicDirectory.Preflight(target);
        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(legacy));
        Assert.True(Directory.Exists(live), "a staging directory of a running process must stay");
        Assert.True(Directory.Exists(foreign), "a directory not of Verified's exact naming must stay");
    }

    [Fact]
    public void An_unwritable_location_fails_in_the_preflight_with_a_message_naming_it()
    {
        // --full measures for tens of minutes: this returns at once only because the location is checked first.
        var (code, _) = RunInProcess("report", "--full", "--no-gate", "--out", "/proc/verified-report");
        Assert.Equal(ExitCodes.UsageOrInput, code);
        var refusal = Assert.Throws<OutputDirectoryException>(() => AtomicDirectory.Preflight("/proc/verified-report"));
        Assert.Contains("not writable", refusal.Message);
    }

    [Fact]
    public void Ctrl_C_while_writing_removes_the_staging_directory()
    {
        using var root = new Fixtures.TempDir();
        var target = Path.Combine(root.Path, "report");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { ReportsDll, "report", "--quick", "--no-gate", "--samplers", "heun", "--problems", "gauss-1d", "--out", target })
            info.ArgumentList.Add(a);
        info.Environment[AtomicDirectory.HoldStagingVariable] = "60000";
        using var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        string? staging = null;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (staging is null && DateTime.UtcNow < deadline && !p.HasExited)
        {
            staging = Directory.GetDirectories(root.Path, ".report.staging-*").FirstOrDefault(d => File.Exists(Path.Combine(d, "report.html")));
            Thread.Sleep(100);
        }
        Assert.NotNull(staging);
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!) kill.WaitForExit();
        // A hang guard, not a timing assert: the machine may be loaded, so the wait is generous.
        bool stopped = p.WaitForExit(180_000);
        if (!stopped) p.Kill(entireProcessTree: true);
        Assert.True(stopped, "the report did not stop on SIGINT");
        Assert.Empty(Directory.GetDirectories(root.Path));
    }

    [Fact]
    public void Check_network_writes_outside_the_report_directory_by_default()
    {
        var command = Verified.Reports.Cli.NetworkCommands.CheckNetwork();
        var option = command.Options.OfType<System.CommandLine.Option<DirectoryInfo>>().Single(o => o.Name == "--out-dir");
        var parse = command.Parse(["--checkpoint", "net.ckpt"]);
        var folder = Path.GetFullPath(parse.GetValue(option)!.FullName);
        var report = Path.GetFullPath(Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "report"));
        Assert.False(folder.StartsWith(report, StringComparison.Ordinal), $"check-network writes {folder}, inside {report} which report replaces");
    }
}
