using Verified.Theory;

namespace Verified.Numerics;

/// <summary>Exact draws from the noised data law p_t = sum_k w_k N(alpha mu_k, alpha^2 S_k + sigma^2 I) (THEORY section 2):
/// pick k by weight, then x = alpha (mu_k + U_k sqrt(l_k) z1) + sigma z2. Used for exact starts x_N ~ p_T and for
/// reference samples of the target law.</summary>
public static class MarginalDraws
{
    /// <summary>One draw from p_t using <paramref name="rng"/>.</summary>
    public static double[] Draw(GaussianMixture mixture, Schedule schedule, double t, Xoshiro256 rng)
    {
        Check.NotNull(mixture, nameof(mixture));
        Check.NotNull(schedule, nameof(schedule));
        Check.NotNull(rng, nameof(rng));
        schedule.CheckTime(nameof(t), t);
        int d = mixture.Dimension;
        int k = PickComponent(mixture, rng.NextUniform());
        var l = mixture.ComponentEigenvalues(k);
        var u = mixture.ComponentIsDiagonal(k) ? null : mixture.ComponentEigenvectors(k);
        double alpha = schedule.Alpha(t), sigma = schedule.Sigma(t);
        var mean = mixture.Mean(k);
        var x = new double[d];
        var z = new double[d];
        rng.FillGaussian(z);
        for (int r = 0; r < d; r++)
        {
            double acc = 0;
            if (u is null) acc = Math.Sqrt(l[r]) * z[r]; // diagonal covariance: the eigenbasis is the identity
            else for (int j = 0; j < d; j++) acc += u[r * d + j] * Math.Sqrt(l[j]) * z[j];
            x[r] = alpha * (mean[r] + acc);
        }
        for (int r = 0; r < d; r++) x[r] += sigma * rng.NextGaussian();
        return x;
    }

    /// <summary>n independent draws; draw i uses its own stream derived from (seed, i), so the result does not
    /// depend on how many threads produce it.</summary>
    public static double[][] DrawMany(GaussianMixture mixture, Schedule schedule, double t, int n, ulong seed)
    {
        Check.AtLeast(n, 1, nameof(n));
        var result = new double[n][];
        Parallel.For(0, n, i => result[i] = Draw(mixture, schedule, t, new Xoshiro256(Xoshiro256.Derive(seed, (ulong)i))));
        return result;
    }

    /// <summary>Index of the component whose cumulative weight first exceeds u.</summary>
    public static int PickComponent(GaussianMixture mixture, double u)
    {
        double cumulative = 0;
        for (int k = 0; k < mixture.Count; k++)
        {
            cumulative += mixture.Weight(k);
            if (u < cumulative) return k;
        }
        return mixture.Count - 1;
    }
}
