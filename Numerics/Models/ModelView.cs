using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// Reads any model in the parameterisation a sampler needs (THEORY section 4, [133]-[134]):
/// eps = -sigma s, x0 = (x - sigma eps)/alpha, v = f x - (1/2) g2 s. One batched model call per evaluation: x is a
/// batch of n points (length n d) and the conversion, elementwise with coefficients of t only, applies to every point.
/// </summary>
public sealed class ModelView
{
    private readonly IDiffusionModel model;

    /// <summary>Wraps a model; counts evaluations (NFE) for the sampler that owns this view.</summary>
    public ModelView(IDiffusionModel model)
    {
        Check.NotNull(model, nameof(model));
        this.model = model;
    }

    /// <summary>The wrapped model.</summary>
    public IDiffusionModel Model => model;

    /// <summary>The schedule of the wrapped model.</summary>
    public Schedule Schedule => model.Schedule;

    /// <summary>Number of batched model calls made through this view (NFE per point).</summary>
    public int Evaluations { get; internal set; }

    /// <summary>Counts <paramref name="count"/> batched model calls made outside this view: for a sampler whose
    /// <c>Integrate</c> evaluates the model elsewhere (a tensor device, another process) so that NFE stays right.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is negative.</exception>
    public void AddEvaluations(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 0");
        Evaluations += count;
    }

    /// <summary>Score grad log p_t(x).</summary>
    public void Score(ReadOnlySpan<double> x, double t, Span<double> output) => Evaluate(x, t, PredictionKind.Score, output);

    /// <summary>Noise prediction eps(x, t).</summary>
    public void Noise(ReadOnlySpan<double> x, double t, Span<double> output) => Evaluate(x, t, PredictionKind.Noise, output);

    /// <summary>Data prediction x0(x, t).</summary>
    public void Data(ReadOnlySpan<double> x, double t, Span<double> output) => Evaluate(x, t, PredictionKind.Data, output);

    /// <summary>PF-ODE velocity dx/dt = f x - (1/2) g2 s (forward time).</summary>
    public void Velocity(ReadOnlySpan<double> x, double t, Span<double> output) => Evaluate(x, t, PredictionKind.Velocity, output);

    /// <summary>The score s(x, t) (as <see cref="Score"/>) and f(t), g2(t) from the same single domain check: the
    /// conversion's coefficients when the model predicts another quantity, else <see cref="Schedule.DriftAndG2"/>. The
    /// reverse drift f x - (1 + c)/2 g2 s reads this, so a VP schedule's closed forms are formed once per evaluation.</summary>
    internal (double Drift, double G2) ScoreWithDriftAndG2(ReadOnlySpan<double> x, double t, Span<double> output)
    {
        if (Evaluate(x, t, PredictionKind.Score, output) is { } c) return (c.Drift, c.G2);
        var (f, g2) = model.Schedule.DriftAndG2(t);
        return (f, g2);
    }

    /// <summary>Predicts and converts to <paramref name="wanted"/>; returns the coefficients the conversion used (null
    /// when the model predicts <paramref name="wanted"/> itself).</summary>
    private ScheduleCoefficients? Evaluate(ReadOnlySpan<double> x, double t, PredictionKind wanted, Span<double> output)
    {
        if (output.Length != x.Length)
            throw new ArgumentException($"output must have the length of x ({x.Length}, a batch of points of dimension {model.Dimension}), got {output.Length}", nameof(output));
        Evaluations++;
        model.Predict(x, t, output);
        var predicted = model.Kind;
        if (predicted == wanted) return null;
        // One domain check for the four coefficients (Schedule.At), not one per coefficient.
        var c = model.Schedule.At(t);
        double alpha = c.Alpha, sigma = c.Sigma, f = c.Drift, g2 = c.G2;
        // Convert in place: first to the noise prediction, then to what is wanted.
        for (int i = 0; i < output.Length; i++)
        {
            double eps = predicted switch
            {
                PredictionKind.Noise => output[i],
                PredictionKind.Score => -sigma * output[i],
                PredictionKind.Data => (x[i] - alpha * output[i]) / sigma,
                // v = f x - (1/2) g2 s = f x + (g2 / (2 sigma)) eps
                _ => (output[i] - f * x[i]) * 2.0 * sigma / g2,
            };
            output[i] = wanted switch
            {
                PredictionKind.Noise => eps,
                PredictionKind.Score => -eps / sigma,
                PredictionKind.Data => (x[i] - sigma * eps) / alpha,
                _ => f * x[i] + g2 / (2.0 * sigma) * eps,
            };
        }
        return c;
    }
}
