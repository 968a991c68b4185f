using Verified.Testing;
using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>CL.1: the change-of-variables log-likelihood against the oracle's exact log-density, along the closed-form
/// divergence, the finite-difference trace of a generic model, and the Hutchinson estimator (unbiased, CI).</summary>
public class PfOdeLikelihoodTests
{
    private static readonly Schedule Vp = Schedules.VpLinear();
    private static readonly OracleModel Mixture = Fixtures.Oracle(Fixtures.Mixture2D(), Vp);
    private const double TMin = 1e-2;

    /// <summary>The oracle seen as a plain noise predictor, so the likelihood must take the generic finite-difference path.</summary>
    private sealed class NoiseModel(OracleModel inner) : IDiffusionModel
    {
        public int Dimension => inner.Dimension;
        public PredictionKind Kind => PredictionKind.Noise;
        public Schedule Schedule => inner.Schedule;
        public void Predict(ReadOnlySpan<double> x, double t, Span<double> output)
        {
            int d = Dimension;
            for (int p = 0; p < x.Length / d; p++)
                inner.Oracle.ExpectedNoise(x.Slice(p * d, d).ToArray(), t).AsSpan().CopyTo(output.Slice(p * d, d));
        }
    }

    [Theory]
    [InlineData(1.4, 0.1)]
    [InlineData(-0.8, 0.4)]
    public void Exact_divergence_recovers_the_oracle_log_density(double x0, double x1)
    {
        double[] x = [x0, x1];
        var result = PfOdeLikelihood.Compute(Mixture, x, TMin, 1.0);
        double exact = Mixture.Oracle.LogDensity(x, TMin);
        Assert.True(Math.Abs(result.LogDensity - exact) < 1e-5, $"CL.1 {result.LogDensity} vs exact {exact}");
    }

    [Fact]
    public void Finite_difference_trace_of_a_generic_model_recovers_the_oracle_log_density()
    {
        double[] x = [1.4, 0.1];
        var result = PfOdeLikelihood.Compute(new NoiseModel(Mixture), x, TMin, 1.0, z => Mixture.Oracle.LogDensity(z, 1.0), rtol: 1e-7, atol: 1e-9);
        double exact = Mixture.Oracle.LogDensity(x, TMin);
        Assert.True(Math.Abs(result.LogDensity - exact) < 1e-4, $"CL.1 (finite differences) {result.LogDensity} vs exact {exact}");
    }

    // Hutchinson: mean of 200 independent probes against the exact value (a z-test under the harness's alpha).
    private const int Probes = 200;

    [Fact]
    public void Hutchinson_estimate_is_unbiased()
    {
        double[] x = [-0.8, 0.4];
        double exact = Mixture.Oracle.LogDensity(x, TMin);
        StatisticalCheck.Run("CL.1 Hutchinson log-likelihood mean = exact log density", seed =>
        {
            var estimates = new double[Probes];
            Parallel.For(0, Probes, i => estimates[i] = PfOdeLikelihood.Compute(Mixture, x, TMin, 1.0, DivergenceMethod.Hutchinson,
                seed: Xoshiro256.Derive(seed, (ulong)i), rtol: 1e-6, atol: 1e-8).LogDensity);
            double mean = estimates.Average();
            double sd = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / (Probes - 1));
            Assert.True(sd > 0, "Hutchinson estimates do not vary with the seed");
            double z = (mean - exact) / (sd / Math.Sqrt(Probes));
            return new StatisticalOutcome(StatisticalCheck.NormalTwoSided(z), $"mean {mean} vs exact {exact}, sd {sd}, z = {z:F2}");
        });
    }

    [Fact]
    public void Bad_times_are_rejected()
    {
        Assert.Equal("tMax", Assert.Throws<ArgumentException>(() => PfOdeLikelihood.Compute(Mixture, [0, 0], 0.5, 0.4)).ParamName);
        Assert.Equal("tMin", Assert.Throws<ArgumentOutOfRangeException>(() => PfOdeLikelihood.Compute(Mixture, [0, 0], 0.0, 1.0)).ParamName);
    }
}
