using TorchSharp;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>The learned-vs-exact error at one time t, over x_t ~ p_t drawn exactly.</summary>
/// <param name="Time">t.</param>
/// <param name="MeanSquaredError">E|f_theta(x_t) - f*(x_t)|^2 / d, in the model's parameterisation.</param>
/// <param name="StandardError">Monte Carlo standard error of that mean.</param>
/// <param name="ExactMeanSquare">E|f*(x_t)|^2 / d, the scale of the exact predictor.</param>
public sealed record NetworkErrorPoint(double Time, double MeanSquaredError, double StandardError, double ExactMeanSquare)
{
    /// <summary>MeanSquaredError / ExactMeanSquare.</summary>
    public double RelativeError => MeanSquaredError / ExactMeanSquare;
}

/// <summary>The DSM decomposition at one t (C4.4): per sample, with eps the true noise and eps* = E[eps | x_t],
/// |eps_theta - eps|^2 = |eps_theta - eps*|^2 + |eps - eps*|^2 + 2 &lt;eps_theta - eps*, eps* - eps&gt;;
/// the last term has mean 0, so Loss - Excess - Irreducible = Cross estimates 0 with standard error CrossStandardError.</summary>
/// <param name="Time">t.</param>
/// <param name="Loss">E|eps_theta - eps|^2 / d (the trained DSM loss at t).</param>
/// <param name="Excess">E|eps_theta - eps*|^2 / d.</param>
/// <param name="Irreducible">E|eps - eps*|^2 / d (independent of theta).</param>
/// <param name="Cross">Loss - Excess - Irreducible (sample mean of the cross term).</param>
/// <param name="CrossStandardError">its standard error.</param>
public sealed record DsmDecomposition(double Time, double Loss, double Excess, double Irreducible, double Cross, double CrossStandardError);

/// <summary>Holds a model to the exact oracle: per-t error curves and the DSM decomposition, on exact draws
/// x_t = alpha x0 + sigma eps with x0 from the mixture (float64, common random numbers across models for one seed).</summary>
public static class OracleComparison
{
    /// <summary>E|f_theta - f*|^2 / d at each time, where f is the model's own parameterisation (<see cref="ITensorModel.Kind"/>)
    /// and f* is the oracle read in that parameterisation (THEORY [133]-[134]: eps* = -sigma score,
    /// x0* = (x + sigma^2 score) / alpha, v* = alpha eps* - sigma x0*, as <see cref="TensorModelView"/> converts).</summary>
    public static NetworkErrorPoint[] ErrorCurve(ITensorModel model, TensorMixtureOracle oracle, IReadOnlyList<double> times, int samples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        return ErrorCurveAgainst(model, new OracleTensorModel(oracle), oracle, times, samples, seed);
    }

    /// <summary>The error curve against any exact model (e.g. the exact guided predictor, C6.3), both read in
    /// <paramref name="model"/>'s parameterisation, on x_t drawn from the oracle's noised law p_t.</summary>
    public static NetworkErrorPoint[] ErrorCurveAgainst(ITensorModel model, ITensorModel exactModel, TensorMixtureOracle oracle,
        IReadOnlyList<double> times, int samples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(exactModel);
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(times);
        Check(model, oracle, samples);
        using var noGrad = no_grad();
        var exact = new TensorModelView(exactModel);
        var learned = new TensorModelView(model);
        var result = new NetworkErrorPoint[times.Count];
        for (int i = 0; i < times.Count; i++)
        {
            using var scope = NewDisposeScope();
            double t = times[i];
            var (xt, _) = Noised(oracle, t, samples, seed + (ulong)i);
            var f = Read(learned, model.Kind, xt, t);
            var fStar = Read(exact, model.Kind, xt, t);
            var sq = SquaredNorm(f - fStar).Over(oracle.Dimension);
            var (mean, se) = MeanAndError(sq);
            result[i] = new NetworkErrorPoint(t, mean, se, SquaredNorm(fStar).Over(oracle.Dimension).mean().item<double>());
        }
        return result;
    }

    /// <summary>The DSM decomposition (C4.4) of a model's noise prediction at time t.</summary>
    public static DsmDecomposition Decompose(ITensorModel model, TensorMixtureOracle oracle, double t, int samples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(oracle);
        Check(model, oracle, samples);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (xt, eps) = Noised(oracle, t, samples, seed);
        var epsTheta = new TensorModelView(model).Noise(xt, t);
        var epsStar = oracle.ExpectedNoise(xt, t);
        double d = oracle.Dimension;
        var loss = SquaredNorm(epsTheta - eps).Over(d);
        var excess = SquaredNorm(epsTheta - epsStar).Over(d);
        var irreducible = SquaredNorm(eps - epsStar).Over(d);
        var (cross, crossSe) = MeanAndError(loss - excess - irreducible);
        return new DsmDecomposition(t, loss.mean().item<double>(), excess.mean().item<double>(), irreducible.mean().item<double>(), cross, crossSe);
    }

    private static Tensor Read(TensorModelView view, PredictionKind kind, Tensor x, double t) => kind switch
    {
        PredictionKind.Noise => view.Noise(x, t),
        PredictionKind.Data => view.Data(x, t),
        PredictionKind.Velocity => view.Velocity(x, t),
        _ => view.Score(x, t),
    };

    /// <summary>x_t = alpha x0 + sigma eps with x0 ~ p_0 and eps ~ N(0, I), float64 on the oracle's device.</summary>
    private static (Tensor X, Tensor Eps) Noised(TensorMixtureOracle oracle, double t, int samples, ulong seed)
    {
        oracle.Schedule.CheckTime(nameof(t), t);
        using var generator = new Generator(seed, CPU);
        using var batches = new MixtureBatches(oracle.Mixture, oracle.Device, oracle.DType);
        var (x0, _) = batches.Draw(samples, generator);
        var eps = randn([samples, oracle.Dimension], ScalarType.Float64, CPU, generator: generator).to(oracle.DType, oracle.Device);
        return (x0.Times(oracle.Schedule.Alpha(t)).Plus(eps.Times(oracle.Schedule.Sigma(t))), eps);
    }

    /// <summary>|v|^2 per row, as v * v: square() and pow(2) would hand libtorch a Scalar temporary (see <see cref="Scalars"/>).</summary>
    private static Tensor SquaredNorm(Tensor v) => (v * v).sum(1);

    private static (double Mean, double StandardError) MeanAndError(Tensor values)
    {
        double mean = values.mean().item<double>();
        double sd = values.std().item<double>();
        return (mean, sd / Math.Sqrt(values.shape[0]));
    }

    private static void Check(ITensorModel model, TensorMixtureOracle oracle, int samples)
    {
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be >= 2");
        if (model.Dimension != oracle.Dimension)
            throw new ArgumentException($"model has dimension {model.Dimension}, the oracle {oracle.Dimension}", nameof(model));
        if (model.Schedule.Name != oracle.Schedule.Name)
            throw new ArgumentException($"model uses schedule {model.Schedule.Name}, the oracle {oracle.Schedule.Name}", nameof(model));
    }
}
