using System.Diagnostics;
using Verified.Numerics;
using Verified.Reports.External;
using Verified.Theory;

namespace Verified.Benchmarks;

/// <summary>
/// The external-process protocol's cost (docs/PROTOCOL.md, "Cost"): model evaluations per second on a batch of n points
/// in d dimensions through a Python child (Benchmarks/peer/protocol_client.py) versus in-process calls of the same model, and the
/// in-process exact oracle per point for scale. The batch travels as one state of length n*d, so this runs on the
/// one-point contract too.
/// </summary>
public static class ProtocolOverhead
{
    /// <summary>Prints one line per measurement; returns 0.</summary>
    public static int Run(int n, int d, int evaluations, string command)
    {
        int length = n * d;
        var schedule = Schedules.VpLinear();
        var cheap = new StandardScore(length, schedule);
        var grid = new TimeGrid(Enumerable.Range(0, evaluations + 1).Select(i => 1.0 - 0.9 * i / evaluations).ToArray());
        var start = new double[length];
        var rng = new Xoshiro256(1);
        rng.FillGaussian(start);

        using var process = ExternalProcess.Start(command, new ExternalOptions(TimeSpan.FromSeconds(120), Path.Combine(Path.GetTempPath(), "verified-external")));
        var external = process.Samplers().Single();
        external.Sample(cheap, start, new TimeGrid([1.0, 0.5]), ZeroNoise.Instance); // warm-up (JIT, child start)
        var sw = Stopwatch.StartNew();
        var result = external.Sample(cheap, start, grid, ZeroNoise.Instance);
        double protocol = result.Evaluations / sw.Elapsed.TotalSeconds;

        var view = new ModelView(cheap);
        var y = new double[length];
        sw.Restart();
        for (int i = 0; i < evaluations; i++) view.Score(start, grid[i], y);
        double inProcess = evaluations / sw.Elapsed.TotalSeconds;

        var oracle = new OracleModel(d == 2 ? GaussianMixture.Ring(8, 2.0, 0.3) : Isotropic(d), schedule);
        var point = new double[d];
        int oracleEvaluations = Math.Max(3, evaluations / 10);
        sw.Restart();
        for (int i = 0; i < oracleEvaluations; i++)
            for (int p = 0; p < n; p++) oracle.Predict(start.AsSpan(p * d, d), grid[i], point);
        double exact = oracleEvaluations / sw.Elapsed.TotalSeconds;

        Console.WriteLine($"n = {n}, d = {d}: batched evaluations per second: protocol (python3 client) {protocol:0.0}, in-process (same cheap model) {inProcess:0.0}, in-process exact oracle per point {exact:0.0}; protocol cost per evaluation {1e3 / protocol:0.00} ms");
        return 0;
    }

    private static GaussianMixture Isotropic(int d)
    {
        var rng = new Xoshiro256(2);
        var means = Enumerable.Range(0, 4).Select(_ => { var m = new double[d]; rng.FillGaussian(m); return m; }).ToArray();
        return GaussianMixture.Isotropic([0.25, 0.25, 0.25, 0.25], means, [0.3, 0.5, 0.2, 0.4]);
    }

    /// <summary>score(x, t) = -x: the cheapest model, so the measured time is the transport's.</summary>
    private sealed class StandardScore(int dimension, Schedule schedule) : IDiffusionModel
    {
        public int Dimension => dimension;
        public PredictionKind Kind => PredictionKind.Score;
        public Schedule Schedule => schedule;
        public void Predict(ReadOnlySpan<double> x, double t, Span<double> output)
        {
            for (int i = 0; i < x.Length; i++) output[i] = -x[i];
        }
    }
}
