using Verified.Numerics;
using Verified.Theory;

namespace Verified.Reports.Experiments;

/// <summary>A data law p_0 the samplers are measured on. Gaussian problems have exact output laws (tier 0);
/// mixtures need references and Monte Carlo (tier 1).</summary>
/// <param name="Name">Short id used on the command line and in the baseline.</param>
/// <param name="Description">One line for the report.</param>
/// <param name="Data">The mixture.</param>
public sealed record Problem(string Name, string Description, GaussianMixture Data)
{
    /// <summary>True for a single Gaussian: the output law of every sampler is exactly Gaussian.</summary>
    public bool IsGaussian => Data.Count == 1;

    /// <summary>d.</summary>
    public int Dimension => Data.Dimension;
}

/// <summary>The problems of the report (fixed seeds: the same problem on every run and machine).</summary>
public static class Problems
{
    /// <summary>Seed of the random rotations and means below.</summary>
    private const ulong ProblemSeed = 20260101;

    /// <summary>All problems, cheapest first.</summary>
    public static IReadOnlyList<Problem> All { get; } =
    [
        new("gauss-1d", "1-D Gaussian N(0.5, 0.6^2)", GaussianMixture.Gaussian([0.5], new[,] { { 0.36 } })),
        new("gauss-8d", "8-D Gaussian, full covariance with eigenvalues 0.05..2 (log-spaced) in a random basis", Gaussian8D()),
        new("ring-2d", "2-D ring of 8 equal modes, radius 2, std 0.3", GaussianMixture.Ring(8, 2.0, 0.3)),
        new("mix-16d", "16-D mixture of 4 anisotropic Gaussians, random means (scale 1.5)", Mixture16D()),
    ];

    /// <summary>Names of all problems.</summary>
    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToList();

    /// <summary>The problem with this name, or null.</summary>
    public static Problem? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    private static GaussianMixture Gaussian8D()
    {
        var rng = new Xoshiro256(ProblemSeed);
        var mean = Enumerable.Range(0, 8).Select(_ => 0.5 * rng.NextGaussian()).ToArray();
        var eigen = Enumerable.Range(0, 8).Select(i => 0.05 * Math.Pow(40.0, i / 7.0)).ToArray();
        return GaussianMixture.Gaussian(mean, RandomCovariance(eigen, rng));
    }

    private static GaussianMixture Mixture16D()
    {
        var rng = new Xoshiro256(Xoshiro256.Derive(ProblemSeed, 16));
        const int d = 16, k = 4;
        var means = Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, d).Select(_ => 1.5 * rng.NextGaussian()).ToArray()).ToArray();
        var covs = Enumerable.Range(0, k).Select(_ =>
            RandomCovariance(Enumerable.Range(0, d).Select(i => 0.1 * Math.Pow(10.0, i / (d - 1.0))).ToArray(), rng)).ToArray();
        return new GaussianMixture([0.1, 0.2, 0.3, 0.4], means, covs);
    }

    /// <summary>Q diag(eigen) Q^T with Q from Gram-Schmidt on a Gaussian matrix (exactly symmetric by construction).</summary>
    private static double[,] RandomCovariance(double[] eigen, Xoshiro256 rng)
    {
        int d = eigen.Length;
        var q = new double[d][];
        for (int c = 0; c < d; c++)
        {
            var v = Enumerable.Range(0, d).Select(_ => rng.NextGaussian()).ToArray();
            for (int p = 0; p < c; p++)
            {
                double dot = v.Zip(q[p], (a, b) => a * b).Sum();
                for (int r = 0; r < d; r++) v[r] -= dot * q[p][r];
            }
            double norm = Math.Sqrt(v.Sum(a => a * a));
            q[c] = v.Select(a => a / norm).ToArray();
        }
        var s = new double[d, d];
        for (int r = 0; r < d; r++)
            for (int c = r; c < d; c++)
            {
                double acc = 0;
                for (int j = 0; j < d; j++) acc += q[j][r] * eigen[j] * q[j][c];
                s[r, c] = acc; s[c, r] = acc;
            }
        return s;
    }
}
