namespace Verified.Reports.Storage;

/// <summary>
/// Writes one file so that a reader never sees it half-written: the content goes to a hidden temporary file in the
/// target's own directory (same file system, so the rename is atomic), which is then renamed over the target. The
/// temporary file has a fresh random name (it cannot be a user's file) and is removed when writing fails.
/// Whether the target may be replaced at all is the caller's decision (the verbs refuse a file they did not write
/// unless told to overwrite it); a whole output directory goes through <see cref="AtomicDirectory"/>.
/// </summary>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with the temporary path, then renames it over <paramref name="path"/>.
    /// Creates the target's directory when missing.</summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> through <see cref="Write(string, Action{string})"/>.</summary>
    public static void WriteText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> through <see cref="Write(string, Action{string})"/>.</summary>
    public static void WriteBytes(string path, byte[] bytes) => Write(path, temp => File.WriteAllBytes(temp, bytes));
}
