using Verified.Reports.Analysis;
using Verified.Reports.Model;

namespace Verified.Reports.Tests;

/// <summary>Small synthetic documents (no experiments run), shaped like a gate run.</summary>
internal static class Fixtures
{
    public static RunSettings Settings() => new([4, 8, 16], [4, 8], 128, 4, 3, 12345,
        [new("vp-linear", 1.0, 1e-3, "uniform in t")], new Dictionary<string, string> { ["weak-w2"] = "W2 to the exact law" });

    public static SeriesResult Exact(string sampler = "heun", double order = 2) => new(sampler, "gauss-1d", "vp-linear", Tier.Exact, Metric.WeakW2, order,
        [new(4, 8, 1e-2, 0, 1e-5, 1e-4, null, null), new(8, 16, 2.5e-3, 0, 2e-5, 6e-6, null, null), new(16, 32, 6.25e-4, 0, 4e-5, 4e-7, null, null)],
        new(order, order - 0.01, order + 0.01, 4, 16, [order, order]), Verdict.Pass, "");

    public static SeriesResult MonteCarlo(double[][] samples) => new("reverse-sde-em", "ring-2d", "vp-linear", Tier.MonteCarlo, Metric.WeakMoment, 1,
        samples.Select((s, i) => new LadderPoint(4 << i, 4 << i, Math.Abs(s.Average()), 0.01, 1e-5, null, null, s)).ToList(),
        new(1, 0.5, 1.5, 4, 8, [1]), Verdict.Pass, "");

    public static ReportDocument Document(params SeriesResult[] series) =>
        new(ReportDocument.CurrentSchema, "gate", Settings(), series, [new("gauss-1d", "vp-linear", "ddpm", 4, 0.1, 0.2)], ["a note"]);

    public static double[][] Samples(double shift = 0) =>
    [
        [0.10 + shift, 0.12 + shift, 0.08 + shift, 0.11 + shift, 0.09 + shift, 0.10 + shift],
        [0.05 + shift, 0.06 + shift, 0.04 + shift, 0.055 + shift, 0.045 + shift, 0.05 + shift],
    ];

    /// <summary>A fresh empty temporary directory, deleted by the caller's using.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir() => Directory.CreateDirectory(Path);
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "verified-reports-tests-" + Guid.NewGuid().ToString("N"));
        public void Dispose() { if (Directory.Exists(Path)) Directory.Delete(Path, true); }
    }
}
