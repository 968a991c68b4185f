using Verified.Gpu;
using Verified.Reports.Network;
using Verified.Reports.Subjects;
using static TorchSharp.torch;

namespace Verified.Reports.Tests.Network;

/// <summary>A user's own network class (<see cref="NetworkUnderTest"/>, not Verified's MLP) held to the exact oracle:
/// the closed-form Gaussian denoiser written in the test against Verified's oracle, in every parameterisation and dtype.</summary>
public class UserNetworkTests
{
    private static ModelUnderTest Under(NetworkUnderTest n) => new(n.Name, "test", n, n.TrainedOn, n.Target);

    [Theory]
    [InlineData(NetworkTarget.Noise)]
    [InlineData(NetworkTarget.Data)]
    [InlineData(NetworkTarget.VPrediction)]
    [InlineData(NetworkTarget.Score)]
    public void The_exact_gaussian_network_in_float64_matches_the_oracle_in_its_parameterisation(NetworkTarget target)
    {
        // Two independent computations of the same predictor: the test's closed form and Verified's mixture oracle.
        var curve = NetworkStudy.ErrorCurve(Under(new GaussianUserNetwork(target, ScalarType.Float64)), 500);
        Assert.All(curve, p => Assert.True(p.RelativeError < 1e-20, $"t = {p.Time}: relative error {p.RelativeError:E3}"));
    }

    [Fact]
    public void In_float32_the_error_is_round_off_only()
    {
        var curve = NetworkStudy.ErrorCurve(Under(new GaussianUserNetwork(NetworkTarget.VPrediction, ScalarType.Float32)), 500);
        Assert.All(curve, p => Assert.True(p.RelativeError < 1e-10, $"t = {p.Time}: relative error {p.RelativeError:E3}"));
    }

    [Fact]
    public void A_constant_shift_of_eps_reads_back_as_its_square_at_every_t()
    {
        const double shift = 0.1;
        var curve = NetworkStudy.ErrorCurve(Under(new GaussianUserNetwork(NetworkTarget.Noise, ScalarType.Float64, shift)), 300);
        Assert.All(curve, p => Assert.Equal(shift * shift, p.MeanSquaredError, 12));
    }

    [Fact]
    public void Samplers_driven_by_the_exact_network_reproduce_the_oracle_runs_and_an_untrained_mlp_does_not()
    {
        var drivers = new[] { "ddim(eta=0)", "reverse-sde-em" }.Select(n => SamplerCatalog.BuiltIn.Find(n)!).ToList();
        var exact = NetworkStudy.Run(Under(new ExactGaussianEpsNetwork()), drivers, 16, 400, NetworkThresholds.Default);
        Assert.Equal("PASS", exact.Verdict);
        Assert.Equal(2, exact.Samplers.Count);
        Assert.All(exact.Samplers, r => Assert.True(r.CoupledDistance < 1e-9, $"{r.Sampler}: coupled distance {r.CoupledDistance:E3}"));
        Assert.All(exact.Samplers, r => Assert.Equal(r.OracleMeanError, r.NetworkMeanError, 9));

        var untrained = NetworkStudy.Run(Under(new UntrainedUserMlp()), drivers, 16, 400, NetworkThresholds.Default);
        Assert.Equal("FAIL", untrained.Verdict);
        Assert.True(untrained.AveragedRelativeError > NetworkThresholds.DefaultMaxRelativeError, $"untrained error {untrained.AveragedRelativeError:E3}");
        Assert.All(untrained.Samplers, r => Assert.True(r.RelativeDistance > NetworkThresholds.DefaultMaxLawDistance, $"{r.Sampler}: {r.RelativeDistance:E3}"));
    }

    [Fact]
    public void The_exact_moments_of_p_t_match_a_large_exact_sample()
    {
        // ExactMoments (closed form) against the mean of exact draws from p_t (Numerics' MarginalDraws).
        var law = UserGaussian.Law();
        var schedule = UserGaussian.Schedule();
        const int n = 200_000;
        var draws = Numerics.MarginalDraws.DrawMany(law, schedule, 0.3, n, 5);
        var (mean, second) = NetworkStudy.ExactMoments(law, schedule, 0.3);
        for (int j = 0; j < 2; j++) Assert.InRange(draws.Average(x => x[j]) - mean[j], -0.01, 0.01);
        Assert.InRange(draws.Average(x => (x[0] * x[0] + x[1] * x[1]) / 2) - second, -0.02, 0.02);
    }
}
