using System.Diagnostics;

namespace Verified.Reports.Tests.External;

/// <summary>Ctrl-C (SIGINT) and SIGTERM on the CLI reap its sampler children: the CLI runs as a real process with a child
/// that stalls, and after the signal neither the CLI nor the child runs.</summary>
public sealed class InterruptTests : IDisposable
{
    private readonly Fixtures.TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void A_signal_to_the_cli_kills_its_stalled_child(string signal)
    {
        string pidFile = Path.Combine(dir.Path, "child.pid");
        string script = Path.Combine(dir.Path, "stall.py");
        File.WriteAllText(script, $$"""
            import json, os, sys, time
            for line in sys.stdin:
                r = json.loads(line)
                if r["type"] == "describe":
                    print(json.dumps({"type": "samplers", "protocol": "verified-protocol 1", "samplers": [{"name": "stall", "stochastic": False, "strong_order": 1, "evaluations_per_step": 1}]}), flush=True)
                else:
                    open({{Quote(pidFile + ".tmp")}}, "w").write(str(os.getpid())); os.rename({{Quote(pidFile + ".tmp")}}, {{Quote(pidFile)}}); time.sleep(600)
            """);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Cli(), "report", "--quick", "--no-gate", "--problems", "gauss-1d", "--samplers", "stall",
                     "--external", $"python3 {script}", "--out", Path.Combine(dir.Path, "report") })
            info.ArgumentList.Add(a);
        info.Environment["VERIFIED_EXTERNAL_TIMEOUT"] = "300";
        using var cli = Process.Start(info)!;
        cli.BeginOutputReadLine();
        cli.BeginErrorReadLine();
        var sw = Stopwatch.StartNew();
        while (!File.Exists(pidFile) && sw.Elapsed < TimeSpan.FromSeconds(120) && !cli.HasExited) Thread.Sleep(100);
        Assert.True(File.Exists(pidFile), "the child started its run");
        int child = int.Parse(File.ReadAllText(pidFile));
        Assert.True(Alive(child));
        using (var kill = Process.Start("kill", [$"-{signal}", cli.Id.ToString()])) kill.WaitForExit();
        // Hang guards, not timing asserts: on a loaded machine (load 30-40 while other builds run) a runtime shutdown and a
        // child's exit can take tens of seconds, so the waits are generous.
        Assert.True(cli.WaitForExit(180_000), "the CLI stopped");
        sw.Restart();
        while (Alive(child) && sw.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(50);
        bool leaked = Alive(child);
        if (leaked) using (var tidy = Process.Start("kill", ["-KILL", child.ToString()])) tidy.WaitForExit(); // do not leave it behind
        Assert.False(leaked, $"the child {child} was killed with the CLI");
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "report")));
    }

    private static string Cli()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "Verified.sln"))) d = d.Parent;
        return Path.Combine(d!.FullName, "Reports", "bin", "Release", "net10.0", "Verified.Reports.dll");
    }

    private static string Quote(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0] is not ("Z" or "X");
        }
        catch (IOException) { return false; }
    }
}
