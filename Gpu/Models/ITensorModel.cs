using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// A denoising model on a batch x [n, d] at one forward time t: the tensor oracle, a guided wrapper or a trained
/// network. The tensor counterpart of <see cref="IDiffusionModel"/>; samplers read it through
/// <see cref="TensorModelView"/> in the parameterisation their formula needs.
/// </summary>
public interface ITensorModel
{
    /// <summary>d.</summary>
    int Dimension { get; }

    /// <summary>What <see cref="Predict"/> returns.</summary>
    PredictionKind Kind { get; }

    /// <summary>The schedule t refers to.</summary>
    Schedule Schedule { get; }

    /// <summary>The prediction at (x, t), a new tensor [n, d] of x's dtype on x's device; never modifies x.</summary>
    Tensor Predict(Tensor x, double t);
}

/// <summary>
/// Reads a tensor model in any parameterisation with the same formulas as <see cref="ModelView"/> (THEORY [133]-[134]):
/// eps = -sigma s, x0 = (x - sigma eps)/alpha, v = f x - (1/2) g2 s = f x + g2/(2 sigma) eps; counts evaluations.
/// </summary>
public sealed class TensorModelView
{
    /// <summary>Wraps a model.</summary>
    public TensorModelView(ITensorModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
    }

    /// <summary>The wrapped model.</summary>
    public ITensorModel Model { get; }

    /// <summary>The model's schedule.</summary>
    public Schedule Schedule => Model.Schedule;

    /// <summary>Model evaluations made through this view (NFE).</summary>
    public int Evaluations { get; private set; }

    /// <summary>grad log p_t(x).</summary>
    public Tensor Score(Tensor x, double t) => Evaluate(x, t, PredictionKind.Score);

    /// <summary>eps(x, t).</summary>
    public Tensor Noise(Tensor x, double t) => Evaluate(x, t, PredictionKind.Noise);

    /// <summary>x0(x, t).</summary>
    public Tensor Data(Tensor x, double t) => Evaluate(x, t, PredictionKind.Data);

    /// <summary>PF-ODE velocity f x - (1/2) g2 s (forward time).</summary>
    public Tensor Velocity(Tensor x, double t) => Evaluate(x, t, PredictionKind.Velocity);

    private Tensor Evaluate(Tensor x, double t, PredictionKind wanted)
    {
        Evaluations++;
        var output = Model.Predict(x, t);
        if (Model.Kind == wanted) return output;
        var s = Model.Schedule;
        var c = s.At(t); // one domain check for the four coefficients
        double alpha = c.Alpha, sigma = c.Sigma, f = c.Drift, g2 = c.G2;
        using var scope = NewDisposeScope();
        var eps = Model.Kind switch
        {
            PredictionKind.Noise => output,
            PredictionKind.Score => output.Times(-sigma),
            PredictionKind.Data => (x - output.Times(alpha)).Over(sigma),
            _ => (output - x.Times(f)).Times(2.0).Times(sigma).Over(g2),
        };
        var result = wanted switch
        {
            PredictionKind.Noise => eps,
            PredictionKind.Score => (-eps).Over(sigma),
            PredictionKind.Data => (x - eps.Times(sigma)).Over(alpha),
            _ => x.Times(f).Plus(eps.Times(g2 / (2.0 * sigma))),
        };
        return result.MoveToOuterDisposeScope();
    }
}
