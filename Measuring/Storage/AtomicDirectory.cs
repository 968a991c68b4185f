namespace Verified.Reports.Storage;

/// <summary>Writes a whole output directory or nothing: everything goes to a temporary sibling directory, which
/// replaces the target by renames only after every file was written. A failure leaves the old target untouched.</summary>
public static class AtomicDirectory
{
    /// <summary>Calls <paramref name="write"/> with a fresh temporary directory, then moves it to <paramref name="target"/>.</summary>
    public static void Write(string target, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"--out {target} has no parent directory", nameof(target));
        if (File.Exists(full)) throw new IOException($"--out {target} is a file, not a directory");
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(full);
        var staging = Path.Combine(parent, $".{name}.staging-{Guid.NewGuid():N}");
        var retired = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
            if (Directory.Exists(full)) Directory.Move(full, retired);
            Directory.Move(staging, full);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            if (!Directory.Exists(full) && Directory.Exists(retired)) Directory.Move(retired, full);
            throw;
        }
        if (Directory.Exists(retired)) Directory.Delete(retired, recursive: true);
    }
}
