namespace Verified.Reports.Cli;

/// <summary>Default paths, relative to the repository root (the nearest directory upwards holding Verified.sln),
/// or to the current directory outside a checkout.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Verified.sln"))) return dir.FullName;
            return Directory.GetCurrentDirectory();
        }
    }

    public static string DefaultBaseline => Path.Combine(Root, "reports", "baseline.json");

    public static string DefaultReportDirectory => Path.Combine(Root, "artifacts", "report");
}
