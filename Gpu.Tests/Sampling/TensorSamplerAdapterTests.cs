using TorchSharp;
using Verified.Numerics;
using Verified.Reports;
using Verified.Reports.Analysis;
using Verified.Reports.Experiments;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Sampling;

/// <summary>
/// The adapter runs a tensor sampler under the Numerics contract. Checked against the Numerics twin of each shipped
/// tensor sampler on a batch with one seeded noise source per side (so the noise bookkeeping — one [n, d] Fill per draw,
/// in the same order — is checked too), in float64 to round-off and in float32 to float32 accuracy; and a sampler
/// written here, outside Verified, goes through the adapter and the measuring API to a verdict.
/// </summary>
public class TensorSamplerAdapterTests
{
    private const int Rows = 9;
    private const int Steps = 12;
    private const double Float64Tolerance = 1e-10; // max-abs, states O(1)
    // float32: 12 steps of O(1) states with unit round-off 6e-8 per operation; the ODE amplifies by at most a few.
    private const double Float32Tolerance = 2e-4;

    public static IEnumerable<object[]> Names() => TensorSamplerRegistry.All().Select(s => new object[] { s.Name });

    private static (OracleModel Model, double[] Start, TimeGrid Grid) Case(Sampler reference)
    {
        var vp = Verified.Theory.Schedules.VpLinear();
        var mixture = Fixtures.FullCovariances();
        if (reference.Info.Requires == ScheduleRequirement.Any)
        {
            var flow = Verified.Theory.Schedules.LinearInterpolant();
            var gridFlow = TimeGrids.UniformLambda(flow, Steps, 0.98, 1e-2);
            return (new OracleModel(mixture, flow), Flatten(MarginalDraws.DrawMany(mixture, flow, gridFlow.Start, Rows, 5)), gridFlow);
        }
        var grid = TimeGrids.UniformTime(vp, Steps, 1.0, 1e-2);
        return (new OracleModel(mixture, vp), Flatten(MarginalDraws.DrawMany(mixture, vp, grid.Start, Rows, 5)), grid);
    }

    private static double[] Flatten(double[][] rows) => rows.SelectMany(r => r).ToArray();

    private static double MaxDifference(double[] a, double[] b) => a.Zip(b, (p, q) => Math.Abs(p - q)).Max();

    [Theory]
    [MemberData(nameof(Names))]
    public void Float64_adapter_equals_the_Numerics_twin_on_the_same_noise(string name)
    {
        var twin = SamplerRegistry.ByName(name);
        var adapter = new TensorSamplerAdapter(TensorSamplerRegistry.ByName(name), ScalarType.Float64);
        var (model, start, grid) = Case(twin);
        var expected = twin.Sample(model, start, grid, new SeededNoise(11));
        var actual = adapter.Sample(model, start, grid, new SeededNoise(11));
        Assert.True(MaxDifference(expected.State, actual.State) < Float64Tolerance,
            $"{adapter.Info.Name}: max |tensor - Numerics| = {MaxDifference(expected.State, actual.State):E3}");
        Assert.Equal(expected.Evaluations, actual.Evaluations);
        Assert.Equal($"tensor-{name}[float64]", adapter.Info.Name);
        Assert.Equal(twin.Info with { Name = adapter.Info.Name }, adapter.Info);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Float32_adapter_agrees_with_the_Numerics_twin_to_float32_accuracy(string name)
    {
        var twin = SamplerRegistry.ByName(name);
        var adapter = new TensorSamplerAdapter(TensorSamplerRegistry.ByName(name), ScalarType.Float32);
        var (model, start, grid) = Case(twin);
        var expected = twin.Sample(model, start, grid, new SeededNoise(11));
        var actual = adapter.Sample(model, start, grid, new SeededNoise(11));
        double diff = MaxDifference(expected.State, actual.State);
        Assert.True(diff < Float32Tolerance, $"{adapter.Info.Name}: max |float32 - float64| = {diff:E3}");
        Assert.True(diff > 1e-12, $"{adapter.Info.Name}: float32 result equals float64 to {diff:E3}: did it run in float32?");
        Assert.Equal($"tensor-{name}[float32]", adapter.Info.Name);
    }

    [Fact]
    public void A_model_that_is_not_the_oracle_runs_through_the_CPU_and_gives_the_same_states()
    {
        var twin = SamplerRegistry.ByName("ddim(eta=0.5)");
        var adapter = new TensorSamplerAdapter(TensorSamplerRegistry.ByName("ddim(eta=0.5)"));
        var (model, start, grid) = Case(twin);
        var viaOracle = adapter.Sample(model, start, grid, new SeededNoise(3));
        var viaCpu = adapter.Sample(new Opaque(model), start, grid, new SeededNoise(3));
        Assert.True(MaxDifference(viaOracle.State, viaCpu.State) < Float64Tolerance);
        Assert.Equal(viaOracle.Evaluations, viaCpu.Evaluations);
    }

    [Fact]
    public void Bad_dtype_device_declaration_or_callback_are_clear_errors()
    {
        var ddim = TensorSamplerRegistry.ByName("ddim(eta=0)");
        var dtype = Assert.Throws<ArgumentException>(() => new TensorSamplerAdapter(ddim, ScalarType.Int32));
        Assert.Equal("dtype", dtype.ParamName);
        Assert.Contains("Int32", dtype.Message);
        Assert.Contains("Float64 or Float32", dtype.Message);
        Assert.Throws<ArgumentException>(() => new TensorSamplerAdapter(ddim, ScalarType.Float16));
        if (!cuda.is_available())
        {
            var device = Assert.Throws<ArgumentException>(() => new TensorSamplerAdapter(ddim, ScalarType.Float64, new Device("cuda")));
            Assert.Equal("device", device.ParamName);
            Assert.Contains("CUDA is not available", device.Message);
        }
        var undeclared = Assert.Throws<ArgumentException>(() => new TensorSamplerAdapter(new UserMidpoint(declare: false)));
        Assert.Contains("declares no SamplerInfo", undeclared.Message);
        var parse = Assert.Throws<ArgumentException>(() => TensorSamplerAdapter.ParseDType("float16"));
        Assert.Contains("valid: float64, float32", parse.Message);
        var adapter = new TensorSamplerAdapter(ddim);
        var (model, start, grid) = Case(SamplerRegistry.ByName("ddim(eta=0)"));
        Assert.Throws<NotSupportedException>(() => adapter.Sample(model, start, grid, ZeroNoise.Instance, (_, _, _) => { }));
    }

    [Fact]
    public void A_user_tensor_sampler_is_measured_through_the_adapter_and_the_measuring_API()
    {
        var sampler = new TensorSamplerAdapter(new UserMidpoint());
        Assert.Equal("tensor-user-midpoint[float64]", sampler.Info.Name);
        var doc = OrderAssert.MeetsDeclaredOrders(sampler, Preset.Quick, ["gauss-1d"]);
        Assert.NotEmpty(doc.Series);

        // The same sampler declaring order 2 for Euler steps must fail: the check can fail.
        var wrong = new TensorSamplerAdapter(new UserMidpoint(euler: true));
        var failed = Assert.Throws<DeclaredOrderException>(() => OrderAssert.MeetsDeclaredOrders(wrong, Preset.Quick, ["gauss-1d"]));
        Assert.Contains(failed.Failing, s => s.Verdict == Verdict.Fail);
    }

    [Fact]
    public void Float32_ladders_drop_the_points_below_the_float32_round_off_floor_and_pass()
    {
        var heun = new TensorSamplerAdapter(TensorSamplerRegistry.ByName("heun"), ScalarType.Float32);
        var problem = Problems.Find("gauss-1d")!;
        var schedule = ScheduleCases.Find("vp-linear")!;
        // Heun's flow-map error at N = 64 is ~4e-4 and falls as N^-2, so it crosses 10^3 u ~ 6e-5 well before N = 1024.
        var preset = Preset.Quick with { ExactLadder = [8, 16, 32, 64, 128, 256, 512, 1024] };
        var series = Verify.Ladders(heun, problem, schedule, preset).Single(s => s.Metric == Metric.StrongFlowMap);
        Assert.NotNull(series.RoundOffFloor);
        double unitFloor = RoundOffMargin * Math.Pow(2, -24);
        Assert.InRange(series.RoundOffFloor!.Value, unitFloor * 0.1, unitFloor * 10); // scale of N(0.5, 0.6^2) at t_min is O(1)
        Assert.Contains(series.Points, p => p.Dropped == DropReason.RoundOff);
        Assert.All(series.Points.Where(p => p.Dropped == DropReason.RoundOff), p => Assert.True(p.N >= 128, $"N = {p.N} dropped"));
        Assert.Equal(Verdict.Pass, series.Verdict);
    }

    [Theory]
    [InlineData("ddim(eta=0.5)")]
    [InlineData("dpm-solver++(2m)")]
    public void Float32_weak_exact_ladders_are_measured_through_the_float64_twin_within_the_coupling_bound(string name)
    {
        var sampler = new TensorSamplerAdapter(TensorSamplerRegistry.ByName(name), ScalarType.Float32);
        Assert.False(sampler.Info.IsAffine);
        var twin = Assert.IsType<TensorSamplerAdapter>(sampler.ExactArithmetic);
        Assert.Equal(ScalarType.Float64, twin.DType);
        var series = Verify.Ladders(sampler, Problems.Find("gauss-1d")!, ScheduleCases.Find("vp-linear")!, Preset.Quick)
            .Single(s => s.Metric == Metric.WeakW2);
        Assert.Equal(Verdict.Pass, series.Verdict);
        // The float64 twin's own row: the same W2 values (the law is the twin's), the float32 row a higher floor.
        var own = Verify.Ladders(twin, Problems.Find("gauss-1d")!, ScheduleCases.Find("vp-linear")!, Preset.Quick).Single(s => s.Metric == Metric.WeakW2);
        Assert.Equal(own.Points.Select(p => p.Error), series.Points.Select(p => p.Error));
        Assert.True(series.RoundOffFloor > own.RoundOffFloor, $"float32 floor {series.RoundOffFloor} not above float64 floor {own.RoundOffFloor}");
    }

    [Fact]
    public void A_wrong_float32_sampler_fails_its_weak_exact_ladder()
    {
        var wrong = new TensorSamplerAdapter(new UserMidpoint(euler: true), ScalarType.Float32);
        var series = Verify.Ladders(wrong, Problems.Find("gauss-1d")!, ScheduleCases.Find("vp-linear")!, Preset.Quick).Single(s => s.Metric == Metric.WeakW2);
        Assert.Equal(Verdict.Fail, series.Verdict);
    }

    [Fact]
    public void The_weak_floor_of_a_rounded_sampler_covers_its_coupling_distance_from_the_twin()
    {
        // A known deviation: the 'rounded' run is the twin's output plus c in every coordinate, so the coupling distance
        // is c exactly (d = 1) and the floor must be 10 c (CouplingMargin), far above the float64 floor.
        const double c = 1e-3;
        var offset = new OffsetSampler(new Ddim(0.5), c);
        var series = Verify.Ladders(offset, Problems.Find("gauss-1d")!, ScheduleCases.Find("vp-linear")!, Preset.Quick).Single(s => s.Metric == Metric.WeakW2);
        Assert.Equal(10 * c, series.RoundOffFloor!.Value, 12);
    }

    /// <summary>The twin's run shifted by a constant: a finite-precision sampler whose deviation from its exact twin is known.</summary>
    private sealed class OffsetSampler(Sampler twin, double offset) : Sampler, IFinitePrecisionSampler
    {
        public override SamplerInfo Info { get; } = twin.Info with { Name = "offset-" + twin.Info.Name, IsAffine = false };

        public double UnitRoundOff => Math.Pow(2, -53);

        public Sampler? ExactArithmetic => twin;

        protected override void Integrate(SamplingRun run, double[] x, StepCallback? callback)
        {
            var result = twin.Sample(run.View.Model, x, run.Grid, run.Noise);
            run.View.AddEvaluations(result.Evaluations);
            for (int j = 0; j < x.Length; j++) x[j] = result.State[j] + offset;
        }

        protected override void Step(SamplingRun run, int i, double[] x) => throw new NotSupportedException("runs through Integrate");
    }

    private const double RoundOffMargin = 1e3; // the report's float32 floor is 10^3 u times the problem scale

    /// <summary>A sampler as a user would write it outside Verified: the explicit midpoint rule on the PF-ODE,
    /// x_mid = x - (h/2) v(x, t), x_next = x - h v(x_mid, t - h/2); order 2. With <c>euler</c> the midpoint evaluation is
    /// replaced by v(x, t) (order 1, still declared 2: the deliberately wrong variant).</summary>
    private sealed class UserMidpoint(bool declare = true, bool euler = false) : TensorSampler
    {
        public override string Name => "user-midpoint";

        public override SamplerInfo? Declaration => declare
            ? new SamplerInfo(Name, "explicit midpoint on the PF-ODE", false, 2, 2, 2)
            : null;

        protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
        {
            double t = run.Grid[i], s = run.Grid[i + 1], h = t - s;
            var v = run.View.Velocity(x, t);
            var mid = euler ? v : run.View.Velocity(x - v * (0.5 * h), t - 0.5 * h);
            return x - mid * h;
        }
    }

    /// <summary>Hides the OracleModel type so the adapter takes the generic model path.</summary>
    private sealed class Opaque(IDiffusionModel inner) : IDiffusionModel
    {
        public int Dimension => inner.Dimension;
        public PredictionKind Kind => inner.Kind;
        public Schedule Schedule => inner.Schedule;
        public void Predict(ReadOnlySpan<double> x, double t, Span<double> output) => inner.Predict(x, t, output);
    }
}
