using System.Globalization;
using Verified.Gpu;

namespace Verified.Reports.Network;

/// <summary>The network report section's data and figure: the per-t error of a learned predictor against the exact one.</summary>
public static class ErrorCurvePlot
{
    /// <summary>Writes <c>name.csv</c> (t, mse, standard error, exact mean square, relative error) and <c>name.png</c>
    /// (log10 of the error against t, one line per curve) into <paramref name="folder"/>; returns the two paths.</summary>
    public static (string Csv, string Png) Write(string folder, string name, IReadOnlyList<(string Label, ErrorPoint[] Curve)> curves)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("curves must hold at least one curve", nameof(curves));
        Directory.CreateDirectory(folder);
        var csv = Path.Combine(folder, name + ".csv");
        var png = Path.Combine(folder, name + ".png");
        var lines = new List<string> { "curve,t,mse,standard_error,exact_mean_square,relative_error" };
        foreach (var (label, curve) in curves)
            lines.AddRange(curve.Select(p => string.Join(',', label, F(p.Time), F(p.MeanSquaredError), F(p.StandardError), F(p.ExactMeanSquare), F(p.RelativeError))));
        WriteAtomically(csv, tmp => File.WriteAllLines(tmp, lines));

        var plot = new ScottPlot.Plot();
        foreach (var (label, curve) in curves)
        {
            var line = plot.Add.Scatter(curve.Select(p => p.Time).ToArray(), curve.Select(p => Math.Log10(Math.Max(p.MeanSquaredError, 1e-300))).ToArray());
            line.LegendText = label;
        }
        plot.Title("Learned vs exact predictor");
        plot.XLabel("t (forward time)");
        plot.YLabel("log10 E|f_theta - f*|^2 / d");
        plot.ShowLegend();
        WriteAtomically(png, tmp => plot.SavePng(tmp, 800, 500));
        return (csv, png);
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes to a temporary file and renames it, so a failure never leaves a half-written output.</summary>
    private static void WriteAtomically(string path, Action<string> write)
    {
        var tmp = path + ".tmp" + Path.GetExtension(path);
        write(tmp);
        File.Move(tmp, path, overwrite: true);
    }
}
