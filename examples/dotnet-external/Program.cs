// DPM-Solver-2 (singlestep, midpoint in lambda, noise form) written against the protocol alone, served to Verified:
//   verified report --external "dotnet examples/dotnet-external/bin/Release/net10.0/DotnetExternalSampler.dll" --samplers cs-dpm-solver-2
using Verified.Client;

return VerifiedClient.Serve([new DpmSolver2()]);

/// <summary>x_u = (alpha_u/alpha_t) x - sigma_u (e^{h/2} - 1) eps(x, t), u = lambda^-1(lambda_t + h/2);
/// x_s = (alpha_s/alpha_t) x - sigma_s (e^h - 1) eps(x_u, u), h = lambda_s - lambda_t.</summary>
internal sealed class DpmSolver2 : IClientSampler
{
    public ClientSamplerInfo Info { get; } = new("cs-dpm-solver-2", "DPM-Solver-2 singlestep (S5.7), out of process", false, 2, 2, 2);

    public double[] Sample(ClientRun run)
    {
        var x = (double[])run.X.Clone();
        for (int i = 0; i + 1 < run.Grid.Length; i++)
        {
            double t = run.Grid[i], s = run.Grid[i + 1], h = run.Lambda[i + 1] - run.Lambda[i];
            double u = run.TimeOfLambda(run.Lambda[i] + 0.5 * h);
            var (alphaU, sigmaU, _, _, _) = run.ScheduleAt(u);
            var eps = run.NoisePrediction(x, t);
            var mid = new double[x.Length];
            for (int j = 0; j < x.Length; j++) mid[j] = alphaU / run.Alpha[i] * x[j] - sigmaU * Expm1(0.5 * h) * eps[j];
            var epsU = run.NoisePrediction(mid, u);
            for (int j = 0; j < x.Length; j++) x[j] = run.Alpha[i + 1] / run.Alpha[i] * x[j] - run.Sigma[i + 1] * Expm1(h) * epsU[j];
        }
        return x;
    }

    /// <summary>e^x - 1 without cancellation for small x (Kahan's trick).</summary>
    private static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }
}
