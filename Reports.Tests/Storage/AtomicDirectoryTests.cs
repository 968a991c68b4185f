using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Storage;

public class AtomicDirectoryTests
{
    [Fact]
    public void A_failure_midway_leaves_the_old_output_untouched_and_no_staging_directory()
    {
        using var root = new Fixtures.TempDir();
        var target = Path.Combine(root.Path, "report");
        AtomicDirectory.Write(target, dir => File.WriteAllText(Path.Combine(dir, "report.md"), "old report"));
        Assert.Throws<InvalidOperationException>(() => AtomicDirectory.Write(target, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "report.md"), "half");
            throw new InvalidOperationException("renderer crashed");
        }));
        Assert.Equal("old report", File.ReadAllText(Path.Combine(target, "report.md")));
        Assert.Equal([target], Directory.GetDirectories(root.Path));
    }

    [Fact]
    public void Success_replaces_Verifieds_own_files()
    {
        using var root = new Fixtures.TempDir();
        var target = Path.Combine(root.Path, "report");
        AtomicDirectory.Write(target, dir => File.WriteAllText(Path.Combine(dir, "stale.png"), "x"));
        AtomicDirectory.Write(target, dir => File.WriteAllText(Path.Combine(dir, "report.md"), "new"));
        Assert.Equal([AtomicDirectory.MarkerName, "report.md"], Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([target], Directory.GetDirectories(root.Path));
    }

    [Fact]
    public void An_empty_existing_directory_is_used()
    {
        using var root = new Fixtures.TempDir();
        var target = Path.Combine(root.Path, "report");
        Directory.CreateDirectory(target);
        AtomicDirectory.Write(target, dir => File.WriteAllText(Path.Combine(dir, "report.md"), "new"));
        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "report.md")));
        Assert.Equal(["report.md"], AtomicDirectory.OwnedFiles(target));
    }

    [Fact]
    public void A_file_in_the_way_is_an_IO_error()
    {
        using var root = new Fixtures.TempDir();
        var target = Path.Combine(root.Path, "report");
        File.WriteAllText(target, "I am a file");
        Assert.Throws<OutputDirectoryException>(() => AtomicDirectory.Write(target, _ => { }));
    }
}
