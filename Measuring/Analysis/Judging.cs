using Verified.Reports.Model;

namespace Verified.Reports.Analysis;

/// <summary>
/// Builds judged rows from measured ladders, and re-judges stored rows (report.json, the baseline) under the current
/// <see cref="OrderClaim"/> rule without re-measuring: measuring and judging are separate steps, and everything the
/// judgement needs (tier, declared order, points with half-widths, round-off floor) is stored with the row.
/// </summary>
public static class Judging
{
    /// <summary>A row from a measured, fitted and judged ladder (appends the known cause of a non-PASS row, if any).</summary>
    public static SeriesResult Row(string sampler, string problem, string schedule, Tier tier, Metric metric, double declared,
        IReadOnlyList<LadderPoint> points, double roundOffFloor, OrderEstimate fit, ClaimJudgement judgement)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(judgement);
        string reason = judgement.Reason;
        if (judgement.Verdict != Verdict.Pass && KnownDeviations.Explain(sampler, schedule, metric) is string why)
            reason = reason.Length == 0 ? $"Known cause: {why}" : $"{reason}. Known cause: {why}";
        var marked = points.Select((p, i) => p with { Dropped = Verdicts.Stored(fit.Dropped[i]) }).ToList();
        return new SeriesResult(sampler, problem, schedule, tier, metric, declared, marked, Verdicts.ToResult(fit), judgement.Verdict, reason, roundOffFloor);
    }

    /// <summary>The error points of a stored ladder, as the fit reads them.</summary>
    public static List<ErrorPoint> Points(IEnumerable<LadderPoint> points) =>
        points.Select(p => new ErrorPoint(p.N, p.Error, p.HalfWidth)).ToList();

    /// <summary>The round-off floor a stored row was fitted with; for rows stored before the floor was written, a floor
    /// just above the first point marked round-off (so that the fit drops the same points).</summary>
    public static double FloorOf(SeriesResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.RoundOffFloor is double floor) return floor;
        var first = row.Points.FirstOrDefault(p => p.Dropped == DropReason.RoundOff);
        return first is null ? 0 : first.Error * (1 + 1e-9);
    }

    /// <summary>A stored row re-fitted and re-judged under the current rule (no re-measuring, so no extension: a row
    /// that still wants a longer ladder stays INCONCLUSIVE with that reason).</summary>
    public static SeriesResult Rejudge(SeriesResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        double floor = FloorOf(row);
        var fit = OrderFit.Fit(Points(row.Points), floor);
        var judgement = OrderClaim.Judge(row.Tier, row.DeclaredOrder, fit, row.Points.Select(p => p.N).ToList());
        return Row(row.Sampler, row.Problem, row.Schedule, row.Tier, row.Metric, row.DeclaredOrder, row.Points, floor, fit, judgement);
    }

    /// <summary>Every row of a stored document re-judged.</summary>
    public static ReportDocument Rejudge(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document with { Series = document.Series.Select(Rejudge).ToList() };
    }
}
