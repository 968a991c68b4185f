namespace Verified.Reports.Analysis;

/// <summary>One measured error at step count N (with an optional 95% confidence interval for Monte Carlo errors).</summary>
/// <param name="Steps">N.</param>
/// <param name="Error">e(N) &gt; 0.</param>
/// <param name="HalfWidth">95% CI half-width of e(N); 0 for exact errors.</param>
public readonly record struct ErrorPoint(int Steps, double Error, double HalfWidth = 0);

/// <summary>The fitted order of one ladder.</summary>
/// <param name="Order">Least-squares slope p of -log e against log N over the window (NaN when no window exists).</param>
/// <param name="CiLow">Lower end of the 95% CI of p; for Monte Carlo ladders widened by the propagated sampling error
/// and by half the range of the window's local orders.</param>
/// <param name="CiHigh">Upper end.</param>
/// <param name="WindowFrom">Smallest N in the window (0 when none).</param>
/// <param name="WindowTo">Largest N in the window.</param>
/// <param name="LocalOrders">log(e_k/e_{k+1}) / log(N_{k+1}/N_k) between successive kept points.</param>
/// <param name="Dropped">Per input point, why it was left out.</param>
public sealed record OrderEstimate(double Order, double CiLow, double CiHigh, int WindowFrom, int WindowTo,
    IReadOnlyList<double> LocalOrders, IReadOnlyList<DropReason> Dropped)
{
    /// <summary>Whether a window of at least <see cref="OrderFit.MinimumWindow"/> points was found.</summary>
    public bool HasWindow => WindowFrom > 0;
}

/// <summary>
/// Convergence-order fitting on a step ladder N = 2^k: local orders between successive N, then a
/// least-squares slope on the finest window whose local orders agree, with a 95% CI.
/// </summary>
/// <remarks>The asymptotic regime is where local orders stop drifting; the finest end of the ladder is
/// closest to it, so the window grows from the finest point towards coarser N while every local order in it
/// stays within <see cref="AgreementTolerance"/> of the window's others.</remarks>
public static class OrderFit
{
    /// <summary>Local orders in a window may differ by at most this much (max - min).</summary>
    public const double AgreementTolerance = 0.3;

    /// <summary>A window needs at least this many points (two local orders) to count as asymptotic.</summary>
    public const int MinimumWindow = 3;

    /// <summary>Fits the order of a ladder sorted by increasing N.</summary>
    /// <param name="points">at least one point; N strictly increasing.</param>
    /// <param name="roundOffFloor">errors below this are round-off, not discretisation (&gt;= 0).</param>
    public static OrderEstimate Fit(IReadOnlyList<ErrorPoint> points, double roundOffFloor)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!(roundOffFloor >= 0)) throw new ArgumentOutOfRangeException(nameof(roundOffFloor), roundOffFloor, "roundOffFloor must be >= 0");
        for (int i = 1; i < points.Count; i++)
            if (points[i].Steps <= points[i - 1].Steps)
                throw new ArgumentException($"points must have strictly increasing N: N[{i - 1}] = {points[i - 1].Steps}, N[{i}] = {points[i].Steps}", nameof(points));
        var dropped = points.Select(p => Classify(p, roundOffFloor)).ToList();
        // Once the error hits the floor, finer points are round-off too even if they bounce above it.
        int firstFloor = dropped.FindIndex(r => r == DropReason.RoundOff);
        if (firstFloor >= 0)
            for (int i = firstFloor; i < dropped.Count; i++) if (dropped[i] == DropReason.None) dropped[i] = DropReason.RoundOff;
        var kept = points.Where((_, i) => dropped[i] == DropReason.None).ToList();
        var local = new List<double>();
        for (int i = 0; i + 1 < kept.Count; i++)
            local.Add(Math.Log(kept[i].Error / kept[i + 1].Error) / Math.Log((double)kept[i + 1].Steps / kept[i].Steps));
        if (kept.Count < MinimumWindow)
            return new OrderEstimate(double.NaN, double.NaN, double.NaN, 0, 0, local, dropped);
        // Grow the window from the finest local order towards coarser N.
        int firstLocal = local.Count - 1;
        double lo = local[^1], hi = local[^1];
        while (firstLocal > 0)
        {
            double candidate = local[firstLocal - 1];
            if (Math.Max(hi, candidate) - Math.Min(lo, candidate) > AgreementTolerance) break;
            lo = Math.Min(lo, candidate); hi = Math.Max(hi, candidate);
            firstLocal--;
        }
        var window = kept.Skip(firstLocal).ToList();
        if (window.Count < MinimumWindow)
            return new OrderEstimate(double.NaN, double.NaN, double.NaN, 0, 0, local, dropped);
        var (order, halfWidth) = Regress(window);
        // Monte Carlo ladders: widen by the half-range of the window's local orders, which measures how far the
        // ladder still is from a pure power law (the regression CI alone assumes it is one).
        if (window.Any(p => p.HalfWidth > 0)) halfWidth += 0.5 * (hi - lo);
        return new OrderEstimate(order, order - halfWidth, order + halfWidth, window[0].Steps, window[^1].Steps, local, dropped);
    }

    /// <summary>Slope p of log e = c - p log N by least squares, and its 95% CI half-width: the regression's
    /// t-interval (n - 2 degrees of freedom) plus the propagated Monte Carlo half-widths (first-order, in log e).</summary>
    internal static (double Order, double HalfWidth) Regress(IReadOnlyList<ErrorPoint> window)
    {
        int n = window.Count;
        var x = window.Select(p => Math.Log(p.Steps)).ToArray();
        var y = window.Select(p => Math.Log(p.Error)).ToArray();
        double mx = x.Average(), my = y.Average();
        double sxx = x.Sum(v => (v - mx) * (v - mx));
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double rss = x.Zip(y, (a, b) => Math.Pow(b - intercept - slope * a, 2)).Sum();
        double regression = n > 2 ? StudentT.Quantile975(n - 2) * Math.Sqrt(rss / (n - 2) / sxx) : 0;
        // d slope / d log e_i = (x_i - mean x) / Sxx; a 95% half-width h_i on e_i is h_i / e_i in log e.
        double monteCarlo = Math.Sqrt(window.Select((p, i) => Math.Pow((x[i] - mx) / sxx * p.HalfWidth / p.Error, 2)).Sum());
        return (-slope, regression + monteCarlo);
    }

    private static DropReason Classify(ErrorPoint p, double floor)
    {
        if (!double.IsFinite(p.Error) || p.Error <= 0) return DropReason.NotFinite;
        if (p.Error < floor) return DropReason.RoundOff;
        if (p.HalfWidth >= p.Error) return DropReason.Unresolved;
        return DropReason.None;
    }
}

/// <summary>Two-sided 95% quantiles of Student's t (exact table for small degrees of freedom).</summary>
internal static class StudentT
{
    private static readonly double[] Table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

    /// <summary>t_{0.975, df}.</summary>
    public static double Quantile975(int df) =>
        df < 1 ? throw new ArgumentOutOfRangeException(nameof(df), df, "df must be >= 1")
        : df <= Table.Length ? Table[df - 1] : 1.96 + 2.4 / df;
}
