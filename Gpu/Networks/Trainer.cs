using System.Diagnostics;
using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>Training settings.</summary>
/// <param name="Steps">optimiser steps &gt;= 1.</param>
/// <param name="BatchSize">samples per step &gt;= 1.</param>
/// <param name="LearningRate">Adam's initial rate (cosine-annealed to 0), &gt; 0.</param>
/// <param name="TimeFloor">t is drawn uniformly from [TMin + TimeFloor, TMax] (TMax - TimeFloor for domains open at TMax);
/// keeps sigma(t) &gt; 0, where eps and x0 are identifiable. In (0, (TMax - TMin)/2).</param>
/// <param name="ConditionDropout">p_u, the probability that a conditional network sees the null label (C6.3); in [0, 1].</param>
/// <param name="Seed">fixes data, times, noise, dropout and initialisation: the same seed gives bit-identical weights.</param>
public sealed record TrainingOptions(
    int Steps = 2000,
    int BatchSize = 256,
    double LearningRate = 2e-3,
    double TimeFloor = 1e-3,
    double ConditionDropout = 0.2,
    ulong Seed = 1)
{
    /// <summary>Throws naming the first invalid field.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be >= 1");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be >= 1");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be finite and > 0");
        if (!(ConditionDropout >= 0 && ConditionDropout <= 1))
            throw new ArgumentOutOfRangeException(nameof(ConditionDropout), ConditionDropout, "ConditionDropout must lie in [0, 1]");
        if (!(TimeFloor > 0) || !double.IsFinite(TimeFloor))
            throw new ArgumentOutOfRangeException(nameof(TimeFloor), TimeFloor, "TimeFloor must be finite and > 0");
    }
}

/// <summary>What a training run did.</summary>
/// <param name="Losses">the minibatch loss of every step (mean squared error per coordinate).</param>
/// <param name="Elapsed">wall-clock time.</param>
public sealed record TrainingReport(double[] Losses, TimeSpan Elapsed)
{
    /// <summary>Mean loss over the last tenth of the steps.</summary>
    public double FinalLoss => Losses.Skip(Losses.Length - Math.Max(1, Losses.Length / 10)).Average();
}

/// <summary>
/// Trains a <see cref="DenoiserNetwork"/> on exact draws from a Gaussian mixture by regression on the conditional
/// target of its parameterisation, whose minimiser is the conditional expectation the oracle gives in closed form:
/// eps (DSM, C4.4/C7.5), x0, v = alpha eps - sigma x0, or the conditional velocity alpha'(t) x0 + sigma'(t) eps
/// (conditional flow matching, C8.3). A conditional network sees the true label, replaced by null with probability p_u (C6.3).
/// </summary>
public static class Trainer
{
    /// <summary>Trains in place with Adam and a cosine-annealed rate; reports (step, loss) to <paramref name="progress"/>.</summary>
    public static TrainingReport Train(DenoiserNetwork network, GaussianMixture data, TrainingOptions options, Action<int, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = network.Config;
        if (config.Target == NetworkTarget.Score)
            throw new ArgumentException("Target Score has no regression target here; train a Noise network (score = -eps/sigma)", nameof(network));
        if (data.Dimension != config.Dimension)
            throw new ArgumentException($"data has dimension {data.Dimension}, the network expects {config.Dimension}", nameof(data));
        if (config.TrainedOn is { } recorded && recorded != TrainingData.Describe(data))
            throw new ArgumentException($"the network's config records training data {recorded}, got {TrainingData.Describe(data)}", nameof(data));
        if (config.Classes > 0 && data.ClassCount > config.Classes)
            throw new ArgumentException($"data has {data.ClassCount} classes, the network was built for {config.Classes}", nameof(data));
        var schedule = config.Schedule;
        double lo = schedule.TMin + options.TimeFloor;
        double hi = schedule.TMaxIncluded ? schedule.TMax : schedule.TMax - options.TimeFloor;
        if (!(hi > lo)) throw new ArgumentOutOfRangeException(nameof(options), options.TimeFloor, "TimeFloor leaves no room in the schedule's domain");

        var watch = Stopwatch.StartNew();
        var losses = new double[options.Steps];
        using var generator = new Generator(options.Seed, CPU);
        using var batches = new MixtureBatches(data);
        // TorchSharp's Adam holds the learning rate its cosine scheduler anneals; the update itself is AdamUpdate's
        // (the same operations, through Scalars kept alive: see Scalars)
        using var optimizer = optim.Adam(network.parameters(), options.LearningRate);
        var annealing = optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Steps);
        using var adam = new AdamUpdate(network.parameters());
        network.train();
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (x0, labels) = batches.Draw(options.BatchSize, generator);
            var times = rand(options.BatchSize, ScalarType.Float64, CPU, generator: generator).Times(hi - lo).Plus(lo);
            var eps = randn([options.BatchSize, config.Dimension], ScalarType.Float64, CPU, generator: generator).to(ScalarType.Float32);
            var c = Coefficients(schedule, times.data<double>().ToArray());
            var xt = (c.Alpha * x0).Plus(c.Sigma * eps);
            Tensor? classes = null;
            if (config.Classes > 0)
            {
                var drop = rand(options.BatchSize, ScalarType.Float64, CPU, generator: generator).LessThan(options.ConditionDropout);
                classes = where(drop, Scalars.FullLike(labels, -1), labels);
            }
            var target = config.Target switch
            {
                NetworkTarget.Noise => eps,
                NetworkTarget.Data => x0,
                NetworkTarget.VPrediction => c.Alpha * eps - c.Sigma * x0,
                _ => (c.AlphaDot * x0).Plus(c.SigmaDot * eps),
            };
            var prediction = network.Forward(xt, times.to(ScalarType.Float32), classes);
            var loss = nn.functional.mse_loss(prediction, target);
            optimizer.zero_grad();
            loss.backward();
            adam.Step(optimizer.ParamGroups.First().LearningRate);
            annealing.step();
            losses[step] = loss.item<float>();
            if (!double.IsFinite(losses[step]))
                throw new InvalidOperationException($"training diverged at step {step} (loss {losses[step]}); lower the learning rate");
            progress?.Invoke(step, losses[step]);
        }
        network.eval();
        return new TrainingReport(losses, watch.Elapsed);
    }

    private readonly record struct Columns(Tensor Alpha, Tensor Sigma, Tensor AlphaDot, Tensor SigmaDot);

    /// <summary>alpha, sigma, alpha', sigma' at each time, as float32 columns [n, 1].</summary>
    private static Columns Coefficients(Schedule schedule, double[] times)
    {
        Tensor Column(Func<double, double> f) =>
            tensor(times.Select(f).ToArray(), [times.Length, 1], ScalarType.Float64).to(ScalarType.Float32);
        return new Columns(Column(schedule.Alpha), Column(schedule.Sigma), Column(schedule.AlphaDot), Column(schedule.SigmaDot));
    }
}
