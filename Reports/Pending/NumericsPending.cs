// TEMPORARY stand-in for the output-law engine and references that the Numerics issue delivers
// (same names and signatures). Delete this file when that work is merged.
using MathNet.Numerics.LinearAlgebra;
using Verified.Theory;

namespace Verified.Numerics;

/// <summary>N(Mean, Covariance).</summary>
public sealed record GaussianLaw(double[] Mean, double[,] Covariance)
{
    /// <summary>d.</summary>
    public int Dimension => Mean.Length;

    /// <summary>KL(this || target).</summary>
    public double KullbackLeibler(GaussianLaw target)
    {
        var p = Matrix<double>.Build.DenseOfArray(Covariance);
        var q = Matrix<double>.Build.DenseOfArray(target.Covariance);
        var dm = Vector<double>.Build.DenseOfArray(target.Mean) - Vector<double>.Build.DenseOfArray(Mean);
        var qc = q.Cholesky();
        double tr = qc.Solve(p).Trace();
        double maha = dm.DotProduct(qc.Solve(dm));
        return 0.5 * (tr + maha - Dimension + qc.DeterminantLn - p.Cholesky().DeterminantLn);
    }

    /// <summary>W2(this, target).</summary>
    public double Wasserstein2(GaussianLaw target)
    {
        var p = Matrix<double>.Build.DenseOfArray(Covariance);
        var q = Matrix<double>.Build.DenseOfArray(target.Covariance);
        var dm = Vector<double>.Build.DenseOfArray(target.Mean) - Vector<double>.Build.DenseOfArray(Mean);
        var qh = Sqrt(q);
        double cross = Sqrt(qh * p * qh).Trace();
        return Math.Sqrt(Math.Max(0, dm.DotProduct(dm) + p.Trace() + q.Trace() - 2 * cross));
    }

    private static Matrix<double> Sqrt(Matrix<double> m)
    {
        var evd = ((m + m.Transpose()) * 0.5).Evd(Symmetricity.Symmetric);
        var l = evd.EigenValues.Map(z => Math.Sqrt(Math.Max(0, z.Real)));
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(l) * evd.EigenVectors.Transpose();
    }
}

/// <summary>Exact output law of a sampler on Gaussian data, by probing the affine map.</summary>
public static class OutputLaw
{
    /// <summary>Output law from a Gaussian start law.</summary>
    public static GaussianLaw Compute(Sampler sampler, IDiffusionModel model, TimeGrid grid, GaussianLaw startLaw)
    {
        int d = model.Dimension;
        var rec = new RecordingNoise(ZeroNoise.Instance);
        var mean = sampler.Sample(model, startLaw.Mean, grid, rec).State;
        int draws = rec.Draws.Count;
        var cov = new double[d, d];
        var l = Matrix<double>.Build.DenseOfArray(startLaw.Covariance).Cholesky().Factor;
        var zeros = Enumerable.Range(0, draws).Select(_ => new double[d]).ToArray();
        for (int j = 0; j < d; j++)
        {
            var x = (double[])startLaw.Mean.Clone();
            for (int r = 0; r < d; r++) x[r] += l[r, j];
            Accumulate(sampler.Sample(model, x, grid, new ReplayNoise(zeros)).State);
        }
        for (int k = 0; k < draws; k++)
            for (int j = 0; j < d; j++)
            {
                var z = zeros.Select(a => (double[])a.Clone()).ToArray();
                z[k][j] = 1;
                Accumulate(sampler.Sample(model, startLaw.Mean, grid, new ReplayNoise(z)).State);
            }
        return new GaussianLaw(mean, cov);

        void Accumulate(double[] y)
        {
            for (int r = 0; r < d; r++)
                for (int c = 0; c < d; c++) cov[r, c] += (y[r] - mean[r]) * (y[c] - mean[c]);
        }
    }

    /// <summary>Output law from the exact p at grid.Start.</summary>
    public static GaussianLaw Compute(Sampler sampler, OracleModel gaussianModel, TimeGrid grid) =>
        Compute(sampler, gaussianModel, grid, Target(gaussianModel, grid.Start));

    /// <summary>The exact p_t.</summary>
    public static GaussianLaw Target(OracleModel gaussianModel, double t)
    {
        var g = new GaussianData(gaussianModel.Oracle.Mixture, gaussianModel.Schedule);
        return new GaussianLaw(g.MarginalMean(t), g.MarginalCovariance(t));
    }
}

/// <summary>Reference solutions.</summary>
public static class References
{
    /// <summary>PF-ODE by adaptive Dormand-Prince.</summary>
    public static double[] PfOde(IDiffusionModel model, double[] start, double tStart, double tEnd, double rtol = 1e-10, double atol = 1e-12)
    {
        var view = new ModelView(model);
        int d = start.Length;
        var x = (double[])start.Clone();
        double t = tStart, h = -(tStart - tEnd) / 100;
        double[][] c = [[], [1.0 / 5], [3.0 / 40, 9.0 / 40], [44.0 / 45, -56.0 / 15, 32.0 / 9],
            [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
            [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
            [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84]];
        double[] nodes = [0, 0.2, 0.3, 0.8, 8.0 / 9, 1, 1];
        double[] b5 = [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0];
        double[] b4 = [5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40];
        var k = Enumerable.Range(0, 7).Select(_ => new double[d]).ToArray();
        var y = new double[d];
        while (t > tEnd)
        {
            if (t + h < tEnd) h = tEnd - t;
            for (int s = 0; s < 7; s++)
            {
                for (int j = 0; j < d; j++) { double acc = x[j]; for (int q = 0; q < s; q++) acc += h * c[s][q] * k[q][j]; y[j] = acc; }
                view.Velocity(y, Math.Max(tEnd, t + nodes[s] * h), k[s]);
            }
            double err = 0;
            var next = new double[d];
            for (int j = 0; j < d; j++)
            {
                double a5 = x[j], a4 = x[j];
                for (int s = 0; s < 7; s++) { a5 += h * b5[s] * k[s][j]; a4 += h * b4[s] * k[s][j]; }
                next[j] = a5;
                double sc = atol + rtol * Math.Max(Math.Abs(x[j]), Math.Abs(a5));
                err = Math.Max(err, Math.Abs(a5 - a4) / sc);
            }
            if (err <= 1) { x = next; t += h; if (t - tEnd < 1e-15 * Math.Max(1, Math.Abs(tEnd))) break; }
            h *= Math.Clamp(0.9 * Math.Pow(Math.Max(err, 1e-10), -0.2), 0.2, 5);
        }
        return x;
    }

    /// <summary>The sampler on the path's fine grid.</summary>
    public static double[] OnPath(Sampler sampler, IDiffusionModel model, double[] start, BrownianPath path) =>
        sampler.Sample(model, start, path.Fine, path.AsNoise()).State;
}
