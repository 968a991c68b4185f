using BenchmarkDotNet.Attributes;
using Verified.Numerics;
using Verified.Theory;

namespace Verified.Benchmarks;

/// <summary>The cost Numerics adds around a model call, with the model itself nearly free (eps(x, t) = x, one point,
/// d = 2): one <see cref="ModelView"/> conversion (eps read as a velocity: alpha, sigma, f, g2 at t) and a whole
/// Heun run of 100 steps (200 conversions plus the step arithmetic). VP-linear has a closed-form g2; Föllmer takes the
/// generic route 2 sigma sigma' - 2 f sigma^2, where the time checks used to repeat. The two Schedule rows isolate the
/// checks: the same four coefficients through the checked members and through <see cref="Schedule.At"/>.</summary>
[MemoryDiagnoser]
public class EvaluationOverhead
{
    private sealed class IdentityNoiseModel(Schedule schedule) : IDiffusionModel
    {
        public int Dimension => 2;
        public PredictionKind Kind => PredictionKind.Noise;
        public Schedule Schedule => schedule;
        public void Predict(ReadOnlySpan<double> x, double t, Span<double> output) => x.CopyTo(output);
    }

    private ModelView view = null!;
    private IdentityNoiseModel model = null!;
    private TimeGrid grid = null!;
    private readonly double[] point = [0.3, -1.1], output = new double[2];
    private readonly Heun heun = new();

    /// <summary>The schedule: one with a closed-form g2 and one without.</summary>
    [Params("vp-linear", "follmer")]
    public string ScheduleName { get; set; } = "vp-linear";

    [GlobalSetup]
    public void Setup()
    {
        var schedule = ScheduleName == "follmer" ? Schedules.Follmer() : Schedules.VpLinear();
        model = new IdentityNoiseModel(schedule);
        view = new ModelView(model);
        grid = TimeGrids.UniformTime(schedule, 100, 0.99, 1e-3);
    }

    [Benchmark(Description = "ModelView.Velocity of an eps model, one point (d=2)")]
    public double Velocity()
    {
        view.Velocity(point, 0.5, output);
        return output[0];
    }

    [Benchmark(Description = "Schedule: Alpha, Sigma, Drift, G2 at t, each checked")]
    public double FourMembers()
    {
        var s = model.Schedule;
        return s.Alpha(0.5) + s.Sigma(0.5) + s.Drift(0.5) + s.G2(0.5);
    }

    [Benchmark(Description = "Schedule.At(t): the same four after one check")]
    public double OneCheck()
    {
        var c = model.Schedule.At(0.5);
        return c.Alpha + c.Sigma + c.Drift + c.G2;
    }

    [Benchmark(Description = "Heun, one point, 100 steps (200 evaluations)")]
    public double[] HeunRun() => heun.Sample(model, point, grid, ZeroNoise.Instance).State;
}
