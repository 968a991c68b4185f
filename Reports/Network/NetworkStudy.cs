using TorchSharp;
using Verified.Gpu;
using Verified.Numerics;
using Verified.Reports.Experiments;
using Verified.Reports.Subjects;
using Verified.Theory;

namespace Verified.Reports.Network;

/// <summary>A network to hold to the exact oracle: a checkpoint of Verified's MLP or a user's <see cref="NetworkUnderTest"/>.</summary>
/// <param name="Name">shown in the report.</param>
/// <param name="Origin">where it came from (checkpoint or assembly path).</param>
/// <param name="Model">its prediction on tensors, in its own parameterisation.</param>
/// <param name="Data">the data law it was trained for: the exact oracle's mixture.</param>
/// <param name="Target">what the network's raw output means.</param>
public sealed record ModelUnderTest(string Name, string Origin, ITensorModel Model, GaussianMixture Data, NetworkTarget Target);

/// <summary>One sampler driven by the network and by the exact oracle from the same starts and the same noise.</summary>
/// <param name="Sampler">the sampler's name.</param>
/// <param name="Steps">N, steps on the report's grid of the network's schedule.</param>
/// <param name="Samples">output points per run.</param>
/// <param name="CoupledDistance">sqrt(E|X_net - X_exact|^2): the two runs share starts and noise, so this coupling
/// bounds W2(law of X_net, law of X_exact) from above; over the same sampler, it is the network's share of the error.</param>
/// <param name="CoupledStandardError">its standard error (delta method on the mean of squares).</param>
/// <param name="RelativeDistance">CoupledDistance / sqrt(E|x|^2) under the exact p_{t_min}: dimensionless.</param>
/// <param name="NetworkMeanError">|mean of X_net - E x| with E x = alpha(t_min) sum_k w_k m_k, the exact mean of p_{t_min}.</param>
/// <param name="OracleMeanError">the same for X_exact: the sampler's own discretisation and Monte Carlo share.</param>
/// <param name="NetworkSecondMomentError">|mean |X_net|^2/d - E|x|^2/d| with E|x|^2 = alpha^2 sum_k w_k (|m_k|^2 + tr C_k) + sigma^2 d.</param>
/// <param name="OracleSecondMomentError">the same for X_exact.</param>
public sealed record SamplerLawRow(string Sampler, int Steps, int Samples, double CoupledDistance, double CoupledStandardError,
    double RelativeDistance, double NetworkMeanError, double OracleMeanError, double NetworkSecondMomentError, double OracleSecondMomentError);

/// <summary>The thresholds a network must meet (report and gate exit 1 when it misses one).</summary>
/// <param name="MaxRelativeError">bound on the time-averaged E|f - f*|^2 / E|f*|^2 (&gt; 0).</param>
/// <param name="MaxLawDistance">bound on every sampler's <see cref="SamplerLawRow.RelativeDistance"/> (&gt; 0).</param>
public sealed record NetworkThresholds(double MaxRelativeError, double MaxLawDistance)
{
    /// <summary>check-network's default (docs/GPU.md): 0.25, between the measured untrained (0.98) and briefly trained (0.18) errors.</summary>
    public const double DefaultMaxRelativeError = 0.25;

    /// <summary>Default bound on the relative coupled distance, measured on the default ring with ddim(eta=0),
    /// dpm-solver++(2m) and reverse-sde-em at N = 32 (docs/GPU.md): an untrained network gave 0.80-0.93, a briefly trained
    /// one (400 steps, 32 wide, 2 layers) 0.12-0.19.</summary>
    public const double DefaultMaxLawDistance = 0.6;

    /// <summary>The defaults.</summary>
    public static NetworkThresholds Default { get; } = new(DefaultMaxRelativeError, DefaultMaxLawDistance);

    /// <summary>Throws naming the first bound that is not a finite number &gt; 0.</summary>
    public void Validate()
    {
        if (!(MaxRelativeError > 0) || double.IsInfinity(MaxRelativeError))
            throw new ArgumentOutOfRangeException("--max-relative-error", MaxRelativeError, "--max-relative-error must be a finite number > 0");
        if (!(MaxLawDistance > 0) || double.IsInfinity(MaxLawDistance))
            throw new ArgumentOutOfRangeException("--max-law-distance", MaxLawDistance, "--max-law-distance must be a finite number > 0");
    }
}

/// <summary>What the report's Network section shows: the error per noise level and the sampled laws.</summary>
/// <param name="Network">the network's name.</param>
/// <param name="Origin">checkpoint or assembly.</param>
/// <param name="Target">its parameterisation.</param>
/// <param name="Schedule">its schedule.</param>
/// <param name="TrainedOn">the data law (<see cref="TrainingData.Describe"/>).</param>
/// <param name="Curve">E|f - f*|^2 / d per t, in the network's parameterisation.</param>
/// <param name="Samplers">the samplers it drove.</param>
/// <param name="Skipped">samplers not run, with the reason (e.g. not valid on this schedule).</param>
/// <param name="Thresholds">the bounds it was judged against.</param>
public sealed record NetworkStudyResult(string Network, string Origin, string Target, string Schedule, string TrainedOn,
    IReadOnlyList<NetworkErrorPoint> Curve, IReadOnlyList<SamplerLawRow> Samplers, IReadOnlyList<string> Skipped, NetworkThresholds Thresholds)
{
    /// <summary>The mean over t of the relative error E|f - f*|^2 / E|f*|^2.</summary>
    public double AveragedRelativeError => Curve.Average(p => p.RelativeError);

    /// <summary>Why the network fails its thresholds, one line per miss; empty when it passes.</summary>
    public IReadOnlyList<string> Misses()
    {
        var misses = new List<string>();
        if (!(AveragedRelativeError <= Thresholds.MaxRelativeError))
            misses.Add($"time-averaged relative error {AveragedRelativeError:E3} > --max-relative-error {Thresholds.MaxRelativeError:E3}");
        foreach (var row in Samplers.Where(r => !(r.RelativeDistance <= Thresholds.MaxLawDistance)))
            misses.Add($"{row.Sampler}: relative coupled distance {row.RelativeDistance:E3} > --max-law-distance {Thresholds.MaxLawDistance:E3}");
        return misses;
    }

    /// <summary>"PASS" when every threshold is met, else "FAIL".</summary>
    public string Verdict => Misses().Count == 0 ? "PASS" : "FAIL";
}

/// <summary>Holds a network to the exact oracle of its data law (THEORY C4.4 error curve; sampled laws by coupling).</summary>
public static class NetworkStudy
{
    /// <summary>The samplers that drive a network when --samplers is not given: one ODE, one multistep, one SDE sampler.</summary>
    public static IReadOnlyList<string> DefaultSamplers { get; } = ["ddim(eta=0)", "dpm-solver++(2m)", "reverse-sde-em"];

    /// <summary>Seed of the error-curve draws (as check-network).</summary>
    private const ulong CurveSeed = 7;

    /// <summary>Seed of the starts and of the shared noise of the sampler runs.</summary>
    private const ulong LawSeed = 11;

    /// <summary>20 times evenly over [TMin + 5% of the top, top], top = TMax (or 0.98 TMax on a domain open there).</summary>
    public static double[] CurveTimes(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double top = schedule.TMaxIncluded ? schedule.TMax : schedule.TMax * 0.98;
        return Enumerable.Range(0, 20).Select(i => schedule.TMin + 0.05 * top + (top - 0.05 * top) * i / 19.0).ToArray();
    }

    /// <summary>The per-t error curve against the exact predictor (float64 on the CPU, <paramref name="samples"/> exact draws per t).</summary>
    public static NetworkErrorPoint[] ErrorCurve(ModelUnderTest model, int samples)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be >= 2");
        using var oracle = new TensorMixtureOracle(model.Data, model.Model.Schedule, torch.CPU);
        return OracleComparison.ErrorCurve(model.Model, oracle, CurveTimes(model.Model.Schedule), samples, CurveSeed);
    }

    /// <summary>The whole study: the error curve, then each sampler driven by the network and by the oracle.</summary>
    public static NetworkStudyResult Run(ModelUnderTest model, IReadOnlyList<SamplerSubject> samplers, int steps, int samples, NetworkThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samplers);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be >= 1");
        var curve = ErrorCurve(model, samples);
        var schedule = model.Model.Schedule;
        var rows = new List<SamplerLawRow>();
        var skipped = new List<string>();
        var sc = ScheduleCases.All.FirstOrDefault(c => c.Schedule.Name == schedule.Name);
        foreach (var subject in samplers)
        {
            if (sc is null)
            {
                skipped.Add($"{subject.Name}: the report has no grid for schedule {schedule.Name}");
                continue;
            }
            var sampler = subject.Create();
            if (!sc.AppliesTo(sampler.Info))
            {
                skipped.Add($"{subject.Name}: not valid on {sc.Name}");
                continue;
            }
            rows.Add(Law(model, sampler, sc, steps, samples));
        }
        return new NetworkStudyResult(model.Name, model.Origin, model.Target.ToString(), schedule.Name,
            TrainingData.Describe(model.Data), curve, rows, skipped, thresholds);
    }

    /// <summary>One sampler from the exact p_T: the network run and the oracle run share starts and noise.</summary>
    private static SamplerLawRow Law(ModelUnderTest model, Sampler sampler, ScheduleCase sc, int steps, int samples)
    {
        var data = model.Data;
        int d = data.Dimension;
        var starts = MarginalDraws.DrawMany(data, sc.Schedule, sc.TStart, samples, LawSeed).SelectMany(x => x).ToArray();
        var grid = sc.Grid(steps);
        var learned = sampler.Sample(new TensorDiffusionModel(model.Model), starts, grid, new SeededNoise(LawSeed)).State;
        var exact = sampler.Sample(new OracleModel(data, sc.Schedule), starts, grid, new SeededNoise(LawSeed)).State;
        var squared = new double[samples];
        for (int i = 0; i < samples; i++)
            for (int j = 0; j < d; j++)
            {
                double e = learned[i * d + j] - exact[i * d + j];
                squared[i] += e * e;
            }
        double meanSquare = squared.Average();
        double sd = Math.Sqrt(squared.Sum(s => (s - meanSquare) * (s - meanSquare)) / (samples - 1));
        double distance = Math.Sqrt(meanSquare);
        double standardError = distance > 0 ? sd / Math.Sqrt(samples) / (2 * distance) : 0;
        var (mean, second) = ExactMoments(data, sc.Schedule, sc.TMin);
        double scale = Math.Sqrt(second * d);
        return new SamplerLawRow(sampler.Info.Name, steps, samples, distance, standardError, distance / scale,
            MeanError(learned, mean, samples), MeanError(exact, mean, samples),
            Math.Abs(SecondMoment(learned, samples, d) - second), Math.Abs(SecondMoment(exact, samples, d) - second));
    }

    /// <summary>E x and E|x|^2 / d under p_t = law of alpha x0 + sigma eps, x0 from the mixture.</summary>
    internal static (double[] Mean, double SecondPerCoordinate) ExactMoments(GaussianMixture data, Schedule schedule, double t)
    {
        double alpha = schedule.Alpha(t), sigma = schedule.Sigma(t);
        int d = data.Dimension;
        var mean = new double[d];
        double second = 0;
        for (int k = 0; k < data.Count; k++)
        {
            var m = data.Mean(k);
            double w = data.Weight(k);
            for (int j = 0; j < d; j++) mean[j] += alpha * w * m[j];
            second += w * (m.Sum(v => v * v) + data.ComponentEigenvalues(k).Sum());
        }
        return (mean, (alpha * alpha * second + sigma * sigma * d) / d);
    }

    private static double MeanError(double[] x, double[] mean, int n)
    {
        int d = mean.Length;
        double sum = 0;
        for (int j = 0; j < d; j++)
        {
            double m = 0;
            for (int i = 0; i < n; i++) m += x[i * d + j];
            double e = m / n - mean[j];
            sum += e * e;
        }
        return Math.Sqrt(sum);
    }

    private static double SecondMoment(double[] x, int n, int d) => x.Take(n * d).Sum(v => v * v) / (n * (double)d);
}
