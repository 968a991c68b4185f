using System.Globalization;
using ScottPlot;
using Verified.Reports.Analysis;
using Verified.Reports.Model;

namespace Verified.Reports.Output;

/// <summary>A rendered figure: file name, caption, PNG bytes.</summary>
public sealed record Figure(string FileName, string Caption, byte[] Png);

/// <summary>
/// ScottPlot figures as small multiples: per (problem, schedule, metric), one panel per declared order with at
/// most <see cref="MaxSeries"/> series, each in its own colour and marker, its fitted order and verdict in the
/// legend; samplers whose ladders coincide (to 6 digits) are folded into one series named "a = b"; one labelled reference slope
/// per panel; log axes that name the metric. Convergence panels plot error against N (against the tolerance for
/// adaptive samplers), work-precision panels against NFE. Wall-time plots are not drawn: timings measured beside
/// other jobs are noise (they stay in report.json).
/// </summary>
public static class Figures
{
    /// <summary>Most series per panel.</summary>
    public const int MaxSeries = 8;

    private const int Width = 900, Height = 460;

    private static readonly MarkerShape[] Markers =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.FilledTriangleDown, MarkerShape.Cross,
    ];

    /// <summary>A series as drawn: one or more samplers with identical ladders.</summary>
    internal sealed record Drawn(string Label, SeriesResult Row);

    /// <summary>All figures of a report.</summary>
    public static List<Figure> Render(ReportDocument report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = new List<Figure>();
        foreach (var group in report.Series.GroupBy(s => (s.Problem, s.Schedule, s.Metric)))
        {
            var (problem, schedule, metric) = group.Key;
            foreach (var (order, part, parts, drawn) in Panels(group.ToList()))
            {
                string suffix = parts > 1 ? $" (part {part} of {parts})" : "";
                string stem = $"{problem}_{schedule}_{metric}_p{order.ToString("0.#", CultureInfo.InvariantCulture)}{(parts > 1 ? $"_{part}" : "")}";
                string what = $"{metric}, {problem}, {schedule}, declared order {Numbers.F(order)}{suffix}";
                figures.Add(new Figure($"convergence_{stem}.png", $"Error vs {(IsTolerance(metric) ? "tolerance" : "N")}: {what}", Convergence(drawn, order, $"{what}")));
                figures.Add(new Figure($"work-nfe_{stem}.png", $"Work-precision (error vs NFE): {what}", WorkPrecision(drawn, $"work-precision: {what}")));
            }
        }
        return figures;
    }

    /// <summary>Ladders with the same N and errors to 6 significant digits (indistinguishable on a plot; e.g. two
    /// formulas of one method) are one series.</summary>
    internal static List<Drawn> Fold(IEnumerable<SeriesResult> rows) =>
        rows.GroupBy(r => string.Join(";", r.Points.Select(p => $"{p.N}:{p.Error.ToString("G6", CultureInfo.InvariantCulture)}")))
            .Select(g => new Drawn(string.Join(" = ", g.Select(r => r.Sampler)), g.First())).ToList();

    /// <summary>Panels: one per declared order, split into parts of at most <see cref="MaxSeries"/> series.</summary>
    internal static IEnumerable<(double Order, int Part, int Parts, List<Drawn> Series)> Panels(List<SeriesResult> rows)
    {
        foreach (var byOrder in rows.GroupBy(r => r.DeclaredOrder).OrderBy(g => g.Key))
        {
            var drawn = Fold(byOrder);
            int parts = (drawn.Count + MaxSeries - 1) / MaxSeries;
            for (int k = 0; k < parts; k++)
                yield return (byOrder.Key, k + 1, parts, drawn.Skip(k * MaxSeries).Take(MaxSeries).ToList());
        }
    }

    private static bool IsTolerance(string metric) => metric.EndsWith("-vs-tol", StringComparison.Ordinal);

    private static string ErrorLabel(string metric) => metric.Replace("-vs-tol", "", StringComparison.Ordinal) switch
    {
        "weak-w2" => "W2 distance to the exact law (log scale)",
        "strong-flow-map" => "RMS error vs exact flow map (log scale)",
        "strong-rk45" => "RMS error vs RK45 reference (log scale)",
        "strong-path" => "RMS pathwise error vs fine path (log scale)",
        "weak-moment" => "moment error |E f(X) - E f(ref)|, f = |x|^2/d (log scale)",
        "weak-mode-distance" => "weak error |E f(X) - E f(ref)|, f = distance to nearest mode (log scale)",
        _ => $"{metric} error (log scale)",
    };

    /// <summary>Ticks at powers of ten with log-spaced minor ticks, labelled with the value itself.</summary>
    private static void LogAxis(IAxis axis, bool integers = false)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => integers && v >= 0 && v < 7
                ? Math.Pow(10, v).ToString("0", CultureInfo.InvariantCulture)
                : $"1e{Math.Round(v).ToString("0", CultureInfo.InvariantCulture)}",
        };
    }

    /// <summary>A log axis ticked at the ladder's own N (4, 8, 16, ...), which decades alone would leave bare.</summary>
    private static void LadderAxis(IAxis axis, IEnumerable<int> steps)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (int n in steps.Distinct().Order()) ticks.AddMajor(Math.Log10(n), n.ToString(CultureInfo.InvariantCulture));
        axis.TickGenerator = ticks;
    }

    private static string Legend(Drawn d) =>
        $"{d.Label}: p = {(d.Row.Fit.Order is double o ? o.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} {d.Row.Verdict}";

    private static byte[] Convergence(List<Drawn> drawn, double declared, string title)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        bool tolerance = IsTolerance(drawn[0].Row.Metric);
        // For tolerance ladders N = 1/tol: plotting against tol turns the slope's sign, error = O(tol^p).
        double X(LadderPoint p) => tolerance ? -Math.Log10(p.N) : Math.Log10(p.N);
        double firstX = double.NaN, firstY = double.NegativeInfinity, lastX = double.NaN;
        for (int i = 0; i < drawn.Count; i++)
        {
            var row = drawn[i].Row;
            var pts = row.Points.Where(p => p.Error > 0 && double.IsFinite(p.Error)).ToList();
            if (pts.Count == 0) continue;
            var c = palette.GetColor(i);
            double[] xs = pts.Select(X).ToArray(), ys = pts.Select(p => Math.Log10(p.Error)).ToArray();
            var scatter = plot.Add.Scatter(xs, ys, c);
            scatter.LegendText = Legend(drawn[i]);
            scatter.LineWidth = 1.5f;
            scatter.MarkerSize = 8;
            scatter.MarkerShape = Markers[i % Markers.Length];
            if (row.Verdict != Verdict.Pass) scatter.LinePattern = LinePattern.Dashed;
            if (pts.Any(p => p.HalfWidth > 0))
            {
                var up = pts.Select(p => Math.Log10(p.Error + p.HalfWidth) - Math.Log10(p.Error)).ToArray();
                var bars = plot.Add.ErrorBar(xs, ys, up);
                bars.Color = c;
            }
            if (ys[0] > firstY) (firstX, firstY) = (xs[0], ys[0]);
            lastX = double.IsNaN(lastX) ? xs[^1] : (tolerance ? Math.Min(lastX, xs[^1]) : Math.Max(lastX, xs[^1]));
        }
        if (!double.IsNaN(firstX))
        {
            // The declared order's reference slope, half a decade above the largest first error.
            double slope = tolerance ? declared : -declared;
            double y0 = firstY + 0.5, y1 = y0 + slope * (lastX - firstX);
            var reference = plot.Add.Line(firstX, y0, lastX, y1);
            reference.Color = Colors.Black.WithAlpha(0.55);
            reference.LinePattern = LinePattern.Dotted;
            reference.LineWidth = 2;
            reference.LegendText = $"reference slope {Numbers.F(declared)} (declared order)";
            var label = plot.Add.Text($"slope {Numbers.F(declared)}", (firstX + lastX) / 2, (y0 + y1) / 2 + 0.15);
            label.LabelFontSize = 12;
            label.LabelFontColor = Colors.Black.WithAlpha(0.7);
        }
        if (tolerance) LogAxis(plot.Axes.Bottom);
        else LadderAxis(plot.Axes.Bottom, drawn.SelectMany(d => d.Row.Points).Select(p => p.N));
        LogAxis(plot.Axes.Left);
        plot.XLabel(tolerance ? "tolerance tol = rtol = atol (log scale)" : "N, steps (log scale)");
        plot.YLabel(ErrorLabel(drawn[0].Row.Metric));
        plot.Title(title, size: 13);
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static byte[] WorkPrecision(List<Drawn> drawn, string title)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < drawn.Count; i++)
        {
            var pts = drawn[i].Row.Points.Where(p => p.Error > 0 && double.IsFinite(p.Error) && p.Nfe > 0).ToList();
            if (pts.Count == 0) continue;
            var s = plot.Add.Scatter(pts.Select(p => Math.Log10(p.Nfe)).ToArray(), pts.Select(p => Math.Log10(p.Error)).ToArray(), palette.GetColor(i));
            s.LegendText = Legend(drawn[i]);
            s.MarkerSize = 8;
            s.MarkerShape = Markers[i % Markers.Length];
            s.LineWidth = 1.5f;
        }
        LogAxis(plot.Axes.Bottom, integers: true);
        LogAxis(plot.Axes.Left);
        plot.XLabel("NFE, model evaluations per sample (log scale)");
        plot.YLabel(ErrorLabel(drawn[0].Row.Metric));
        plot.Title(title, size: 13);
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
