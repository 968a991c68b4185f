using Verified.Reports.Analysis;

namespace Verified.Reports.Experiments;

/// <summary>A weak test function of the mixture tier: the metric it reports under and phi at the point x[offset .. offset + d).</summary>
/// <param name="Metric">The weak metric whose ladder it gives.</param>
/// <param name="Value">phi(x) for the point starting at the offset.</param>
internal sealed record TestFunction(Metric Metric, Func<double[], int, double> Value);

/// <summary>
/// The weak test functions of the mixture tier and the rule that picks one per ladder. A weak order claims
/// |E phi(X_N) - E phi(X)| = O(N^-p) for every smooth phi, so any one smooth phi checks it; which one resolves the error
/// from the fewest coupled pairs depends on the sampler: the second moment |x|^2/d is ~10x noisier than its error for
/// Euler-Maruyama-type samplers on the ring (their second-moment error is small), while the nearest-mode distance changes
/// sign between N = 16 and 32 for DDIM(eta = 1) and DDPM(beta~). The pilot decides; the judged ladder is measured on the
/// pairs after the pilot, so the choice does not bias the numbers it is judged on.
/// </summary>
internal static class TestFunctions
{
    /// <summary>phi(x) = |x|^2 / d and the smooth squared distance to the nearest mode,
    /// phi(x) = -(2 v / d) log sum_k w_k exp(-|x - mu_k|^2 / (2 v)), v the data's mean per-coordinate component variance
    /// (a soft minimum over the modes of |x - mu_k|^2 / d, bounded gradient between modes).</summary>
    public static List<TestFunction> For(Problem problem)
    {
        var data = problem.Data;
        int d = problem.Dimension, count = data.Count;
        double v = Enumerable.Range(0, count).Sum(k => data.Weight(k) * Enumerable.Range(0, d).Sum(i => data.Covariance(k)[i, i]) / d);
        var means = Enumerable.Range(0, count).Select(data.Mean).ToArray();
        var logWeights = Enumerable.Range(0, count).Select(k => Math.Log(data.Weight(k))).ToArray();
        double Moment(double[] x, int o)
        {
            double sum = 0;
            for (int j = o; j < o + d; j++) sum += x[j] * x[j];
            return sum / d;
        }
        double ModeDistance(double[] x, int o)
        {
            // log-sum-exp, shifted by the largest term
            Span<double> t = count <= 64 ? stackalloc double[count] : new double[count];
            double max = double.NegativeInfinity;
            for (int k = 0; k < count; k++)
            {
                double q = 0;
                for (int j = 0; j < d; j++) { double e = x[o + j] - means[k][j]; q += e * e; }
                t[k] = logWeights[k] - q / (2 * v);
                max = Math.Max(max, t[k]);
            }
            double sum = 0;
            for (int k = 0; k < count; k++) sum += Math.Exp(t[k] - max);
            return -(2 * v / d) * (max + Math.Log(sum));
        }
        return [new(Metric.WeakMoment, Moment), new(Metric.WeakModeDistance, ModeDistance)];
    }

    /// <summary>The index of the test function that the pilot says needs the fewest pairs for the preset's target
    /// half-width at the ladder's fine end, among those whose resolved fine-end pilot errors keep one sign (a weak error
    /// that crosses zero has no power law there); the first function when none qualifies or on a tie.</summary>
    /// <param name="functions">the candidates.</param>
    /// <param name="pilot">per function, per ladder point, the pilot's coupled differences.</param>
    /// <param name="preset">the target half-width.</param>
    public static int Choose(IReadOnlyList<TestFunction> functions, double[][][] pilot, Preset preset)
    {
        int best = 0;
        double bestCost = double.PositiveInfinity;
        for (int f = 0; f < functions.Count; f++)
        {
            var points = pilot[f];
            int from = Math.Max(0, points.Length - MixtureTier.FinePoints);
            var signs = new HashSet<int>();
            double cost = 0;
            for (int k = from; k < points.Length; k++)
            {
                double relative = MixtureTier.RelativeHalfWidth(points[k], strong: false);
                if (relative < 1) signs.Add(Math.Sign(points[k].Average()));
                cost = Math.Max(cost, relative);
            }
            if (signs.Count > 1) continue;
            if (cost < bestCost) (best, bestCost) = (f, cost);
        }
        return best;
    }
}
