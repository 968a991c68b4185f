using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Verified.Reports.Output;

/// <summary>The regression gate's outcome as the report shows it.</summary>
/// <param name="Status">PASSED, FAILED, SKIPPED or ERROR.</param>
/// <param name="Summary">One line (the gate's last line, or why it was skipped).</param>
/// <param name="Details">The gate's findings, one line each (empty when none).</param>
public sealed record GateSummary(string Status, string Summary, IReadOnlyList<string> Details)
{
    /// <summary>The gate did not run.</summary>
    public static GateSummary Skipped(string why) => new("SKIPPED", why, []);
}

/// <summary>Where, when and with what a report was made: enough to reproduce or distrust it.</summary>
public sealed record Provenance(string Commit, bool? Dirty, string DateUtc, string Machine, string Os, string Dotnet,
    string TorchSharp, string Libtorch, string Preset, ulong Seed, double WallSeconds)
{
    /// <summary>The facts of this process and checkout (git is asked; "unknown" when it cannot answer).</summary>
    public static Provenance Collect(string preset, ulong seed, double wallSeconds, string? repositoryRoot = null)
    {
        var root = repositoryRoot ?? Directory.GetCurrentDirectory();
        string? commit = Git(root, "rev-parse", "HEAD");
        string? status = commit is null ? null : Git(root, "status", "--porcelain", "--untracked-files=no");
        return new Provenance(commit ?? "unknown (not a git checkout)", status is null ? null : status.Length > 0,
            DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            $"{Environment.MachineName} ({Environment.ProcessorCount} cores, {RuntimeInformation.ProcessArchitecture})",
            RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
            AssemblyVersion("TorchSharp"), DependencyVersion("libtorch-cpu"), preset, seed, wallSeconds);
    }

    /// <summary>Label / value pairs in display order.</summary>
    public IEnumerable<(string Label, string Value)> Rows()
    {
        yield return ("commit", Commit + (Dirty switch { true => " (dirty: uncommitted changes)", false => " (clean)", null => "" }));
        yield return ("date", DateUtc);
        yield return ("machine", Machine);
        yield return ("OS", Os);
        yield return (".NET", Dotnet);
        yield return ("TorchSharp / libtorch", $"{TorchSharp} / {Libtorch}");
        yield return ("preset / seed", $"{Preset} / {Seed}");
        yield return ("wall time", $"{WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
    }

    private static string? Git(string root, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var p = Process.Start(info);
            if (p is null) return null;
            string output = p.StandardOutput.ReadToEnd().Trim();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    private static string AssemblyVersion(string name)
    {
        try
        {
            var assembly = Assembly.Load(name);
            return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                ?? assembly.GetName().Version?.ToString() ?? "unknown";
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return "not loaded";
        }
    }

    /// <summary>A native package's version, read from this program's deps.json (loading libtorch just to ask would take seconds).</summary>
    private static string DependencyVersion(string prefix)
    {
        var deps = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.deps.json").FirstOrDefault();
        if (deps is null) return "unknown";
        var m = Regex.Match(File.ReadAllText(deps), $"\"{Regex.Escape(prefix)}[^\"/]*/([0-9][^\"]*)\"");
        return m.Success ? m.Groups[1].Value : "unknown";
    }
}
