using System.Globalization;
using ScottPlot;
using Verified.Reports.Model;

namespace Verified.Reports.Output;

/// <summary>A rendered figure: file name, caption, PNG bytes.</summary>
public sealed record Figure(string FileName, string Caption, byte[] Png);

/// <summary>
/// ScottPlot figures, one set per (problem, schedule, metric): log-log error vs N with each sampler's fitted line
/// over its window, dashed reference slopes for the declared orders and 95% CI bars; and work-precision plots
/// (error vs NFE, error vs wall time per sample). Axes show log10 values.
/// </summary>
public static class Figures
{
    private const int Width = 1000, Height = 480;

    /// <summary>All figures of a report.</summary>
    public static List<Figure> Render(ReportDocument report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = new List<Figure>();
        foreach (var group in report.Series.GroupBy(s => (s.Problem, s.Schedule, s.Metric)))
        {
            var rows = group.ToList();
            string stem = $"{group.Key.Problem}_{group.Key.Schedule}_{group.Key.Metric}";
            figures.Add(new Figure($"convergence_{stem}.png", $"Error vs N: {group.Key.Metric}, {group.Key.Problem}, {group.Key.Schedule}", Convergence(rows)));
            figures.Add(new Figure($"work-nfe_{stem}.png", $"Work-precision (NFE): {group.Key.Metric}, {group.Key.Problem}, {group.Key.Schedule}",
                WorkPrecision(rows, p => p.Nfe, "log10 NFE")));
            figures.Add(new Figure($"work-time_{stem}.png", $"Work-precision (wall time per sample): {group.Key.Metric}, {group.Key.Problem}, {group.Key.Schedule}",
                WorkPrecision(rows, p => p.SecondsPerSample, "log10 seconds per sample")));
        }
        return figures;
    }

    private static byte[] Convergence(List<SeriesResult> rows)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        int colour = 0;
        foreach (var row in rows)
        {
            var pts = row.Points.Where(p => p.Error > 0 && double.IsFinite(p.Error)).ToList();
            if (pts.Count == 0) continue;
            var c = palette.GetColor(colour++);
            double[] xs = pts.Select(p => Math.Log10(p.N)).ToArray(), ys = pts.Select(p => Math.Log10(p.Error)).ToArray();
            var scatter = plot.Add.Scatter(xs, ys, c);
            scatter.LegendText = $"{row.Sampler} (p = {(row.Fit.Order is double o ? o.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")})";
            scatter.LineWidth = 1.5f;
            scatter.MarkerSize = 6;
            if (pts.Any(p => p.HalfWidth > 0))
            {
                var up = pts.Select(p => Math.Log10(p.Error + p.HalfWidth) - Math.Log10(p.Error)).ToArray();
                var down = pts.Select(p => p.HalfWidth < p.Error ? Math.Log10(p.Error) - Math.Log10(p.Error - p.HalfWidth) : 1.0).ToArray();
                var bars = plot.Add.ErrorBar(xs, ys, down.Zip(up, Math.Max).ToArray());
                bars.Color = c;
            }
            if (row.Fit.Order is double order && row.Fit.WindowFrom > 0)
            {
                var window = pts.Where(p => p.N >= row.Fit.WindowFrom && p.N <= row.Fit.WindowTo).ToList();
                double mx = window.Average(p => Math.Log10(p.N)), my = window.Average(p => Math.Log10(p.Error));
                double x0 = Math.Log10(row.Fit.WindowFrom), x1 = Math.Log10(row.Fit.WindowTo);
                var line = plot.Add.Line(x0, my - order * (x0 - mx), x1, my - order * (x1 - mx));
                line.Color = c.WithAlpha(0.6);
                line.LineWidth = 4;
            }
        }
        // Reference slopes: one dashed line per declared order, anchored at the largest first error.
        var anchor = rows.SelectMany(r => r.Points.Take(1)).Where(p => p.Error > 0 && double.IsFinite(p.Error)).ToList();
        if (anchor.Count > 0)
        {
            double ax = Math.Log10(anchor.Min(p => p.N)), ay = anchor.Max(p => Math.Log10(p.Error));
            double bx = Math.Log10(rows.SelectMany(r => r.Points).Max(p => p.N));
            foreach (double p in rows.Select(r => r.DeclaredOrder).Distinct().OrderBy(v => v))
            {
                var reference = plot.Add.Line(ax, ay + 0.3, bx, ay + 0.3 - p * (bx - ax));
                reference.Color = Colors.Gray;
                reference.LinePattern = LinePattern.Dashed;
                reference.LegendText = $"slope -{p.ToString("0.#", CultureInfo.InvariantCulture)} (declared)";
            }
        }
        plot.XLabel("log10 N (steps)");
        plot.YLabel("log10 error");
        plot.Title(rows[0].Metric + " / " + rows[0].Problem + " / " + rows[0].Schedule);
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static byte[] WorkPrecision(List<SeriesResult> rows, Func<LadderPoint, double> work, string label)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        int colour = 0;
        foreach (var row in rows)
        {
            var pts = row.Points.Where(p => p.Error > 0 && double.IsFinite(p.Error) && work(p) > 0).ToList();
            if (pts.Count == 0) continue;
            var s = plot.Add.Scatter(pts.Select(p => Math.Log10(work(p))).ToArray(), pts.Select(p => Math.Log10(p.Error)).ToArray(), palette.GetColor(colour++));
            s.LegendText = row.Sampler;
        }
        plot.XLabel(label);
        plot.YLabel("log10 error");
        plot.Title($"work-precision: {rows[0].Metric} / {rows[0].Problem} / {rows[0].Schedule}");
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
