using TorchSharp;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// The DDIM-stochastic rollout of an embedding-space diffusion language model (THEORY section 9, [125]-[130]),
/// batched: z_T ~ N(0, rho^2 I); per step t -&gt; s: z0^ = f(z_t, t), eps^ = (z_t - alpha_t z0^)/sigma_t,
/// sigma_eta = eta sqrt((sigma_s^2/sigma_t^2)(1 - alpha_t^2/alpha_s^2)), c_s = sqrt(sigma_s^2 - sigma_eta^2),
/// z_s = alpha_s z0^ + c_s eps^ + sigma_eta xi; finally the tokens are the rounding of z0^ at the last time [121].
/// </summary>
/// <remarks>The denoiser f is any tensor model read as an x0-predictor (an eps-predictor is converted, C9.1).
/// The prompt enters through the model (e.g. a class-conditional network or the oracle of the prompt's law).</remarks>
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
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(noise);
        if (model.Dimension % table.Width != 0)
            throw new ArgumentException($"model dimension {model.Dimension} is not a multiple of the embedding width {table.Width}", nameof(model));
        if (!(eta >= 0 && eta <= 1)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must lie in [0, 1]");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 1");
        grid.CheckInside(model.Schedule, nameof(grid));
        var schedule = model.Schedule;
        if (!(schedule.Sigma(grid.End) > 0))
            throw new ArgumentOutOfRangeException(nameof(grid), grid.End, "the grid must end where sigma > 0 (eps^ divides by sigma_t)");
        using var noGrad = no_grad();
        var view = new TensorModelView(model);
        using var like = zeros([count, model.Dimension], dtype);
        var z = noise.Next(grid.Start, grid.Start, like).mul_(table.Rho);
        try
        {
            for (int i = 0; i < grid.Steps; i++)
            {
                using var scope = NewDisposeScope();
                double t = grid[i], s = grid[i + 1];
                double alphaT = schedule.Alpha(t), sigmaT = schedule.Sigma(t), alphaS = schedule.Alpha(s), sigmaS = schedule.Sigma(s);
                var z0 = view.Data(z, t);
                var eps = (z - z0 * alphaT) / sigmaT;
                double sigmaEta = eta * Math.Sqrt(Math.Max(0.0, sigmaS * sigmaS / (sigmaT * sigmaT) * (1 - alphaT * alphaT / (alphaS * alphaS))));
                double cs = Math.Sqrt(Math.Max(0.0, sigmaS * sigmaS - sigmaEta * sigmaEta));
                var next = z0 * alphaS + eps * cs;
                if (eta > 0) next = next + noise.Next(t, s, z) * sigmaEta;
                next.MoveToOuterDisposeScope();
                z.Dispose();
                z = next;
            }
            using var final = NewDisposeScope();
            return table.Round(view.Data(z, grid.End)).MoveToOuterDisposeScope();
        }
        finally
        {
            z.Dispose();
        }
    }
}
