using System.Globalization;
using Verified.Reports.Analysis;
using Verified.Reports.Model;

namespace Verified.Reports.Output;

/// <summary>The float32 error-floor table: for each ladder of a float32 subject (a name ending in <c>[float32]</c>,
/// as the tensor-sampler adapter names them), the round-off floor the fit used, the first N whose error fell below it
/// (from there on round-off, not discretisation, dominates) and the smallest error measured.</summary>
public static class FloorTable
{
    /// <summary>The suffix that marks a float32 subject.</summary>
    public const string Float32Suffix = "[float32]";

    /// <summary>The table, or null when the report has no float32 subject.</summary>
    public static Table? Build(ReportDocument report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Series.Where(s => s.Sampler.EndsWith(Float32Suffix, StringComparison.Ordinal)).Select(Row).ToList();
        if (rows.Count == 0) return null;
        return new("float32 error floor",
            "Ladders of float32 subjects. Floor = the round-off floor of the fit (10^3 u times the problem's scale, u = 2^-24 = 6.0e-8); " +
            "round-off from N = the first N whose error fell below it (points from there on are dropped as round-off; 'not reached' " +
            "means discretisation still dominates at the largest N measured); smallest error = the lowest error on the ladder, at that N.",
            ["sampler", "problem", "schedule", "metric", "floor", "round-off from N", "smallest error", "at N", "verdict"], rows);
    }

    private static string[] Row(SeriesResult s)
    {
        var firstFloor = s.Points.FirstOrDefault(p => p.Dropped == DropReason.RoundOff);
        var smallest = s.Points.Where(p => double.IsFinite(p.Error)).OrderBy(p => p.Error).FirstOrDefault();
        string largest = s.Points.Count > 0 ? s.Points.Max(p => p.N).ToString(CultureInfo.InvariantCulture) : "0";
        return
        [
            s.Sampler, s.Problem, s.Schedule, s.Metric,
            s.RoundOffFloor is double f ? Numbers.E(f) : "n/a",
            firstFloor is null ? $"not reached (N <= {largest})" : firstFloor.N.ToString(CultureInfo.InvariantCulture),
            smallest is null ? "n/a" : Numbers.E(smallest.Error),
            smallest?.N.ToString(CultureInfo.InvariantCulture) ?? "",
            s.Verdict,
        ];
    }
}
