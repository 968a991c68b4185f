using TorchSharp;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// The DDIM-stochastic rollout of an embedding-space diffusion language model (THEORY section 9, [125]-[130]),
/// batched, the tensor counterpart of Numerics' EmbeddingRollout with the same formula: z_T = rho xi_0, then
/// <see cref="TensorDdim"/>(eta) over the grid (its coefficients from Numerics' StepCoefficients.Ddim, which on VP
/// schedules equal [129]'s eta sqrt((sigma_s^2/sigma_t^2)(1 - alpha_t^2/alpha_s^2))), and the tokens are the rounding
/// of the x0-prediction at the grid's end [121].
/// </summary>
/// <remarks>The denoiser f is any tensor model (an eps-predictor is converted, C9.1). The prompt enters through the
/// model (e.g. a class-conditional network or the oracle of the prompt's law). The noise is drawn as the CPU rollout
/// draws it: the start first, then one draw per step when eta &gt; 0.</remarks>
public static class TensorEmbeddingRollout
{
    /// <summary>Rolls out <paramref name="count"/> responses; returns tokens [count, L] (int64).</summary>
    /// <param name="model">denoiser over R^{L m}; its dimension fixes L = Dimension / m.</param>
    /// <param name="table">the frozen embedding table.</param>
    /// <param name="grid">decreasing forward times in the model's schedule, ending at t_min with sigma(t_min) &gt; 0.</param>
    /// <param name="eta">in [0, 1]: 0 deterministic DDIM, 1 ancestral.</param>
    /// <param name="count">number of responses &gt;= 1.</param>
    /// <param name="noise">source of z_T and of every xi.</param>
    /// <param name="dtype">float64 or float32.</param>
    public static Tensor Run(ITensorModel model, EmbeddingTable table, TimeGrid grid, double eta, int count, ITensorNoise noise,
        ScalarType dtype = ScalarType.Float64)
    {
        var (tokens, prediction) = Generate(model, table, grid, eta, count, noise, dtype);
        prediction.Dispose();
        return tokens;
    }

    /// <summary>As <see cref="Run"/>, also returning the final x0-prediction z0^ [count, L m] the tokens were rounded
    /// from (the caller owns both tensors).</summary>
    /// <param name="model">denoiser over R^{L m}.</param>
    /// <param name="table">the frozen embedding table.</param>
    /// <param name="grid">decreasing forward times ending where sigma &gt; 0.</param>
    /// <param name="eta">in [0, 1].</param>
    /// <param name="count">number of responses &gt;= 1.</param>
    /// <param name="noise">source of z_T and of every xi.</param>
    /// <param name="dtype">float64 or float32.</param>
    public static (Tensor Tokens, Tensor Prediction) Generate(ITensorModel model, EmbeddingTable table, TimeGrid grid, double eta,
        int count, ITensorNoise noise, ScalarType dtype = ScalarType.Float64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(noise);
        if (model.Dimension % table.Width != 0)
            throw new ArgumentException($"model dimension {model.Dimension} is not a multiple of the embedding width {table.Width}", nameof(model));
        if (!(eta >= 0 && eta <= 1)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must lie in [0, 1]");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 1");
        grid.CheckInside(model.Schedule, nameof(grid));
        if (!(model.Schedule.Sigma(grid.End) > 0))
            throw new ArgumentOutOfRangeException(nameof(grid), grid.End, "the grid must end where sigma > 0 (the final x0-prediction is read from the model there)");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var like = zeros([count, model.Dimension], dtype);
        var start = noise.Next(grid.Start, grid.Start, like).Times(table.Rho);
        var end = new TensorDdim(eta).Sample(model, start, grid, noise).State;
        var prediction = new TensorModelView(model).Data(end, grid.End);
        var tokens = table.Round(prediction);
        return (tokens.MoveToOuterDisposeScope(), prediction.MoveToOuterDisposeScope());
    }
}
