namespace Verified.Numerics;

/// <summary>The tokens of one rollout and the final x0-prediction they were rounded from.</summary>
/// <param name="Tokens">y_l = argmax_v &lt;z0^_l, e_v&gt;.</param>
/// <param name="Prediction">z0^ at the end of the grid.</param>
/// <param name="Evaluations">model evaluations (NFE).</param>
public sealed record RolloutResult(int[] Tokens, double[] Prediction, int Evaluations);

/// <summary>
/// Inference for a diffusion language model in embedding space (section 9, [125]-[130]): z_T ~ N(0, rho^2 I) with rho the
/// RMS of the embedding table, then per step s &lt; t: z0^ = f(z_t, t), eps^ = (z_t - alpha_t z0^)/sigma_t,
/// z_s = alpha_s z0^ + c_s eps^ + sigma_eta xi with c_s = sqrt(sigma_s^2 - sigma_eta^2), and rounding of the final z0^.
/// </summary>
/// <remarks>The step is <see cref="Ddim"/>(eta) with the model read as an x0-predictor: its sigma_eta equals [129]'s
/// eta sqrt((sigma_s^2/sigma_t^2)(1 - alpha_t^2/alpha_s^2)) on VP schedules (and is the posterior form elsewhere).
/// The prompt is part of the model (one predictor per prompt). The final z0^ is z_end/alpha_end where sigma_end = 0,
/// else one more model evaluation at the grid's end.</remarks>
public sealed class EmbeddingRollout
{
    private readonly Ddim step;

    /// <summary>A rollout with the given table and stochasticity.</summary>
    /// <param name="table">the frozen embedding table.</param>
    /// <param name="eta">in [0, 1]: 0 deterministic, 1 ancestral.</param>
    public EmbeddingRollout(EmbeddingTable table, double eta)
    {
        Check.NotNull(table, nameof(table));
        step = new Ddim(eta);
        Table = table;
    }

    /// <summary>The embedding table.</summary>
    public EmbeddingTable Table { get; }

    /// <summary>eta.</summary>
    public double Eta => step.Eta;

    /// <summary>One rollout: the start z_T is rho times the first draw of <paramref name="noise"/> (an auxiliary draw at
    /// the grid's start), the steps draw from it as DDIM does.</summary>
    /// <param name="predictor">f(z_t, t) in any parameterisation, dimension L m.</param>
    /// <param name="grid">decreasing forward times.</param>
    /// <param name="noise">the noise source.</param>
    public RolloutResult Generate(IDiffusionModel predictor, TimeGrid grid, INoiseSource noise)
    {
        Check.NotNull(predictor, nameof(predictor));
        Check.NotNull(grid, nameof(grid));
        Check.NotNull(noise, nameof(noise));
        if (predictor.Dimension % Table.Width != 0)
            throw new ArgumentException($"predictor dimension {predictor.Dimension} must be a multiple of the embedding width {Table.Width}", nameof(predictor));
        var start = new double[predictor.Dimension];
        noise.Fill(grid.Start, grid.Start, start);
        for (int j = 0; j < start.Length; j++) start[j] *= Table.RootMeanSquare;
        var result = step.Sample(predictor, start, grid, noise);
        var z = result.State;
        var schedule = predictor.Schedule;
        double end = grid.End;
        var prediction = new double[z.Length];
        int evaluations = result.Evaluations;
        if (schedule.Sigma(end) == 0)
        {
            double alpha = schedule.Alpha(end);
            for (int j = 0; j < z.Length; j++) prediction[j] = z[j] / alpha;
        }
        else
        {
            new ModelView(predictor).Data(z, end, prediction);
            evaluations++;
        }
        return new RolloutResult(Table.Round(prediction), prediction, evaluations);
    }
}
