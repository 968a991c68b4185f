using System.Globalization;
using ScottPlot;
using Verified.Gpu;

namespace Verified.Reports.Output;

/// <summary>The per-t error of a learned predictor against the exact one, as CSV and as a PNG (log10 of the error
/// against t, one line per curve): check-network's output and the report's Network figure.</summary>
public static class ErrorCurvePlot
{
    /// <summary>The CSV lines: header, then curve, t, mse, standard error, exact mean square, relative error.</summary>
    public static List<string> Csv(IReadOnlyList<(string Label, IReadOnlyList<NetworkErrorPoint> Curve)> curves)
    {
        Check(curves);
        var lines = new List<string> { "curve,t,mse,standard_error,exact_mean_square,relative_error" };
        foreach (var (label, curve) in curves)
            lines.AddRange(curve.Select(p => string.Join(',', label, F(p.Time), F(p.MeanSquaredError), F(p.StandardError), F(p.ExactMeanSquare), F(p.RelativeError))));
        return lines;
    }

    /// <summary>The PNG, 800 x 500.</summary>
    public static byte[] Png(IReadOnlyList<(string Label, IReadOnlyList<NetworkErrorPoint> Curve)> curves)
    {
        Check(curves);
        var plot = new Plot();
        foreach (var (label, curve) in curves)
        {
            var line = plot.Add.Scatter(curve.Select(p => p.Time).ToArray(), curve.Select(p => Math.Log10(Math.Max(p.MeanSquaredError, 1e-300))).ToArray());
            line.LegendText = label;
        }
        plot.Title("Learned vs exact predictor");
        plot.XLabel("t (forward time)");
        plot.YLabel("log10 E|f_theta - f*|^2 / d");
        plot.ShowLegend();
        return plot.GetImageBytes(800, 500, ImageFormat.Png);
    }

    /// <summary>Writes <c>name.csv</c> and <c>name.png</c> into <paramref name="folder"/> (plain writes: a verb calls this
    /// inside <see cref="Storage.AtomicDirectory.Write"/>'s staging directory, which decides what may be replaced);
    /// returns the two file names.</summary>
    public static (string Csv, string Png) Write(string folder, string name, IReadOnlyList<(string Label, IReadOnlyList<NetworkErrorPoint> Curve)> curves)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var lines = Csv(curves);
        var png = Png(curves);
        string csvName = name + ".csv", pngName = name + ".png";
        File.WriteAllLines(Path.Combine(folder, csvName), lines);
        File.WriteAllBytes(Path.Combine(folder, pngName), png);
        return (csvName, pngName);
    }

    private static void Check(IReadOnlyList<(string Label, IReadOnlyList<NetworkErrorPoint> Curve)> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("curves must hold at least one curve", nameof(curves));
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
