using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Verified.Reports.Storage;

/// <summary>An output directory that cannot be used: a file, a non-empty directory Verified did not write, a user's
/// file in the way, or a location that is not writable. Nothing was touched. Exit code 2.</summary>
public sealed class OutputDirectoryException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// Writes an output directory without ever destroying a file Verified did not write. The files are written to a
/// hidden staging sibling first; only when all of them exist are they moved into the target. A directory is
/// Verified's only if it carries the marker <see cref="MarkerName"/>, which lists the files Verified wrote there;
/// a non-empty directory without it is refused, and of a marked one only the listed files are replaced or removed
/// (a user's notes beside them stay). Staging directories are removed on failure, on SIGINT and SIGTERM, and
/// stale ones left by a killed earlier run are cleaned before the next write.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>The marker file: one header line, then one relative path (with '/') per file Verified wrote.</summary>
    public const string MarkerName = ".verified-output";

    private const string MarkerHeader = "# Written by Verified. The files listed below are replaced or removed by its next run into this directory; every other file is left alone.";

    /// <summary>Test hook: when set to a number of milliseconds, the writer waits that long with a complete staging
    /// directory before committing it (lets a test interrupt a write in progress).</summary>
    public const string HoldStagingVariable = "VERIFIED_TEST_HOLD_STAGING_MS";

    /// <summary>Checks, before any work, that <paramref name="target"/> can be written: not a file, empty or
    /// Verified's own (marked), in a writable location; and removes stale staging directories of earlier runs.</summary>
    /// <exception cref="OutputDirectoryException">the target cannot be used; the message says why.</exception>
    public static void Preflight(string target, string option = "--out")
    {
        var label = $"{option} {target}";
        var (full, parent, name) = Locate(target, label);
        if (File.Exists(full)) throw new OutputDirectoryException($"{label} is a file; pass a directory (a new, empty, or earlier report directory)");
        if (Directory.Exists(full))
        {
            if (!IsOwned(full) && Directory.EnumerateFileSystemEntries(full).Any())
                throw new OutputDirectoryException($"{label} is a non-empty directory that Verified did not write (it has no {MarkerName} marker); " +
                    "pass a new or empty directory, or one an earlier report wrote; nothing was touched");
            ReadMarker(full, label);
            Probe(full, label);
        }
        CleanStaleStaging(parent, name);
        Probe(NearestExisting(parent), label);
    }

    /// <summary>Calls <paramref name="write"/> with a fresh staging directory, then moves its files into
    /// <paramref name="target"/> (see the class remarks). A failure leaves the target as it was.</summary>
    /// <exception cref="OutputDirectoryException">the target cannot be used, or a user's file has the name of an output file.</exception>
    public static void Write(string target, Action<string> write, string option = "--out")
    {
        ArgumentNullException.ThrowIfNull(write);
        Preflight(target, option);
        var label = $"{option} {target}";
        var (full, parent, name) = Locate(target, label);
        try
        {
            Directory.CreateDirectory(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputDirectoryException($"{label}: cannot create {parent}: {e.Message}", e);
        }
        var staging = Path.Combine(parent, $".{name}.staging-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        using var cleanup = new StagingCleanup(staging);
        try
        {
            write(staging);
            if (Environment.GetEnvironmentVariable(HoldStagingVariable) is string hold && int.TryParse(hold, out int ms)) Thread.Sleep(ms);
            Commit(full, staging, label);
        }
        finally
        {
            cleanup.Delete();
        }
    }

    /// <summary>The files a marked directory lists as Verified's (empty when unmarked).</summary>
    public static IReadOnlyList<string> OwnedFiles(string directory) => ReadMarker(Path.GetFullPath(directory), directory);

    private static (string Full, string Parent, string Name) Locate(string target, string label)
    {
        ArgumentNullException.ThrowIfNull(target);
        var full = Path.GetFullPath(target);
        if (full.Length > 1) full = full.TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full);
        if (string.IsNullOrEmpty(parent)) throw new OutputDirectoryException($"{label} is a file-system root; pass a directory below it");
        return (full, parent, Path.GetFileName(full));
    }

    private static bool IsOwned(string full) => File.Exists(Path.Combine(full, MarkerName));

    private static List<string> ReadMarker(string full, string label)
    {
        var marker = Path.Combine(full, MarkerName);
        if (!File.Exists(marker)) return [];
        var entries = File.ReadAllLines(marker).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var e in entries)
            if (Path.IsPathRooted(e) || e.Split('/').Any(part => part is "" or "." or "..") || e == MarkerName)
                throw new OutputDirectoryException($"{label}: its {MarkerName} marker lists '{e}', which is not a plain relative path; " +
                    "fix or delete the marker (nothing was touched)");
        return entries;
    }

    private static void WriteMarker(string full, IEnumerable<string> files)
    {
        var temp = Path.Combine(full, $"{MarkerName}.{Guid.NewGuid():N}.tmp");
        File.WriteAllLines(temp, new[] { MarkerHeader }.Concat(files.Distinct().Order(StringComparer.Ordinal)));
        File.Move(temp, Path.Combine(full, MarkerName), overwrite: true);
    }

    private static void Commit(string full, string staging, string label)
    {
        var written = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(staging, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal).ToList();
        if (!Directory.Exists(full))
        {
            WriteMarker(staging, written);
            Directory.Move(staging, full);
            return;
        }
        var old = ReadMarker(full, label);
        var owned = old.ToHashSet(StringComparer.Ordinal);
        foreach (var f in written)
            if (!owned.Contains(f) && Path.Exists(Path.Combine(full, f)))
                throw new OutputDirectoryException($"{label}: {f} exists there and Verified did not write it; move it away and rerun (nothing was touched)");
        // While files move, the marker lists old and new ones, so an interrupted commit leaves nothing unmarked.
        WriteMarker(full, old.Concat(written));
        foreach (var f in old.Except(written, StringComparer.Ordinal))
            if (File.Exists(Path.Combine(full, f))) File.Delete(Path.Combine(full, f));
        foreach (var f in written)
        {
            var destination = Path.Combine(full, f);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(Path.Combine(staging, f), destination, overwrite: true);
        }
        foreach (var dir in old.Select(f => Path.GetDirectoryName(Path.Combine(full, f))!).Distinct().OrderByDescending(d => d.Length))
            if (dir != full && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        WriteMarker(full, written);
    }

    /// <summary>Removes staging directories of this target left by processes that no longer run (a kill -9, a
    /// power cut). Only names of Verified's own staging pattern are touched.</summary>
    private static void CleanStaleStaging(string parent, string name)
    {
        if (!Directory.Exists(parent)) return;
        var pattern = new Regex($"^\\.{Regex.Escape(name)}\\.staging-(?:(\\d+)-)?[0-9a-f]{{32}}$");
        foreach (var dir in Directory.EnumerateDirectories(parent, $".{name}.staging-*"))
        {
            var m = pattern.Match(Path.GetFileName(dir));
            if (!m.Success) continue;
            if (m.Groups[1].Success && IsRunning(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))) continue;
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to fight over: the next run tries again.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string NearestExisting(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
            if (dir.Exists) return dir.FullName;
        return Path.GetPathRoot(path) ?? path;
    }

    /// <summary>Creates and removes an empty directory in <paramref name="directory"/>: the cheapest proof that staging will work.</summary>
    private static void Probe(string directory, string label)
    {
        var probe = Path.Combine(directory, $".verified-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputDirectoryException($"{label}: {directory} is not writable ({e.Message}); pass a directory you can write to", e);
        }
    }

    /// <summary>Deletes the staging directory when the write ends, and on SIGINT / SIGTERM before the process dies.</summary>
    private sealed class StagingCleanup : IDisposable
    {
        private readonly string staging;
        private readonly List<PosixSignalRegistration> registrations = [];

        public StagingCleanup(string staging)
        {
            this.staging = staging;
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            {
                try
                {
                    registrations.Add(PosixSignalRegistration.Create(signal, _ => Delete()));
                }
                catch (PlatformNotSupportedException)
                {
                    // No POSIX signals here: the stale-staging cleanup of the next run covers it.
                }
            }
        }

        /// <summary>Retries of <see cref="Delete"/>, 20 ms apart: up to 2 s, since on a loaded machine the writer can keep
        /// adding files for longer than the 0.1 s the first version allowed (the Ctrl-C test then found a staging left).</summary>
        private const int DeleteAttempts = 100;

        /// <summary>Best effort, retried: the writer may still be adding files while a signal handler runs.</summary>
        public void Delete()
        {
            for (int attempt = 0; attempt < DeleteAttempts && Directory.Exists(staging); attempt++)
            {
                try
                {
                    Directory.Delete(staging, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Thread.Sleep(20);
                }
            }
        }

        public void Dispose()
        {
            foreach (var r in registrations) r.Dispose();
        }
    }
}
