using TorchSharp;
using Verified.Gpu;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Reports.Tests.Network;

/// <summary>The data law of the user networks below: one Gaussian N(m, s^2 I) in 2-D, whose exact predictors are
/// affine in x and written out here by hand (not taken from Verified's oracle).</summary>
public static class UserGaussian
{
    /// <summary>m.</summary>
    public static readonly double[] Mean = [0.5, -1.0];

    /// <summary>s^2.</summary>
    public const double Variance = 0.25;

    /// <summary>The mixture with one component.</summary>
    public static GaussianMixture Law() => GaussianMixture.Isotropic([1.0], [Mean], [Variance]);

    /// <summary>The schedule of the networks.</summary>
    public static Schedule Schedule() => Schedules.VpLinear();
}

/// <summary>A user's TorchSharp network that is not Verified's MLP: the exact Gaussian denoiser with its mean as a
/// parameter, written in closed form. With x = alpha x0 + sigma eps, x0 ~ N(m, s^2 I):
/// E[eps | x] = sigma (x - alpha m) / (alpha^2 s^2 + sigma^2), E[x0 | x] = m + alpha s^2 (x - alpha m) / (alpha^2 s^2 + sigma^2),
/// v = alpha eps - sigma x0. <paramref name="shift"/> adds a constant to the eps it is built from (a known error: E|f - f*|^2 / d = shift^2 for eps).</summary>
public class GaussianUserNetwork(NetworkTarget target, ScalarType dtype, double shift = 0, string? name = null)
    : NetworkUnderTest(name ?? $"user-gaussian-{target}-{dtype}", target, UserGaussian.Schedule(), UserGaussian.Law(), CPU, dtype)
{
    private readonly Tensor mean = tensor(UserGaussian.Mean, ScalarType.Float64).to(dtype).DetachFromDisposeScope();

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x, Tensor t)
    {
        double time = t[0].to(ScalarType.Float64).item<double>();
        double alpha = Schedule.Alpha(time), sigma = Schedule.Sigma(time);
        double denominator = alpha * alpha * UserGaussian.Variance + sigma * sigma;
        var centred = x - mean * alpha;
        var eps = centred * (sigma / denominator) + shift;
        var x0 = (x - eps * sigma) / alpha;
        return Target switch
        {
            NetworkTarget.Noise => eps,
            NetworkTarget.Data => x0,
            NetworkTarget.VPrediction => eps * alpha - x0 * sigma,
            NetworkTarget.Score => eps / -sigma,
            _ => throw new NotSupportedException(Target.ToString()),
        };
    }
}

/// <summary>The exact eps network in float64, found by --model PATH.dll (public, parameterless).</summary>
public sealed class ExactGaussianEpsNetwork() : GaussianUserNetwork(NetworkTarget.Noise, ScalarType.Float64, name: "user-exact-gaussian");

/// <summary>A user's untrained TorchSharp MLP (Linear 3-16, tanh, Linear 16-2 on [x, t]), weights drawn from a seeded
/// generator: its eps is unrelated to eps*, so it must fail every threshold. Found by --model PATH.dll.</summary>
public sealed class UntrainedUserMlp : NetworkUnderTest
{
    private readonly TorchSharp.Modules.Sequential layers;

    /// <summary>Seed 3.</summary>
    public UntrainedUserMlp() : base("user-untrained-mlp", NetworkTarget.Noise, UserGaussian.Schedule(), UserGaussian.Law())
    {
        layers = nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Linear(16, 2));
        using var generator = new Generator(3, CPU);
        using var noGrad = no_grad();
        foreach (var p in layers.parameters()) p.copy_(randn(p.shape, ScalarType.Float32, CPU, generator: generator) * 0.5);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x, Tensor t) => layers.forward(cat([x, t.unsqueeze(1)], 1));
}
