using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// Adam's parameter update (Kingma and Ba; beta1 = 0.9, beta2 = 0.999, eps = 1e-8, no weight decay) written with the
/// same libtorch operations in the same order as TorchSharp 0.107's <c>optim.Adam.step</c>, so the same bits
/// (<c>Gpu.Tests/Networks/AdamUpdateTests</c> compares the two), but through Scalars this code keeps alive
/// (<see cref="Scalars"/>): TorchSharp's own step hands libtorch Scalar temporaries that its finalizer may free
/// while they are read. Per parameter p with gradient g, at step k:
/// m &lt;- beta1 m + (1 - beta1) g, v &lt;- beta2 v + (1 - beta2) g^2,
/// p &lt;- p - (lr / (1 - beta1^k)) m / (sqrt(v) / sqrt(1 - beta2^k) + eps).
/// The learning rate is read per step, so TorchSharp's schedulers can keep driving it.
/// </summary>
internal sealed class AdamUpdate : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;
    private readonly (Tensor Parameter, Tensor Mean, Tensor SquareMean)[] state;
    private long step;

    public AdamUpdate(IEnumerable<Tensor> parameters) =>
        state = parameters.Select(p => (p, zeros_like(p).DetachFromDisposeScope(), zeros_like(p).DetachFromDisposeScope())).ToArray();

    /// <summary>One update of every parameter that has a gradient, at learning rate <paramref name="lr"/>.</summary>
    public void Step(double lr)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        step++;
        double correction1 = 1 - Math.Pow(Beta1, step), correction2 = 1 - Math.Pow(Beta2, step);
        using var minusStepSize = (-(lr / correction1)).ToScalar();
        foreach (var (parameter, mean, squareMean) in state)
        {
            var grad = parameter.grad;
            if (grad is null) continue;
            mean.TimesInPlace(Beta1).PlusScaledInPlace(grad, 1 - Beta1);
            squareMean.TimesInPlace(Beta2).PlusScaledProductInPlace(grad, grad, 1 - Beta2);
            var denominator = squareMean.sqrt().Over(Math.Sqrt(correction2)).PlusInPlace(Eps);
            parameter.addcdiv_(mean, denominator, minusStepSize);
        }
    }

    public void Dispose()
    {
        foreach (var (_, mean, squareMean) in state)
        {
            mean.Dispose();
            squareMean.Dispose();
        }
    }
}
