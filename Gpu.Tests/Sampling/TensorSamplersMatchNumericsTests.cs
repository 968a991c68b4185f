using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Sampling;

/// <summary>
/// One shared test over every tensor sampler: run it on a batch with recorded noise, then run the Numerics sampler of
/// the same name row by row on the same start, replaying that row's draws, with the Theory oracle as the model.
/// The two paths share only the scalar step coefficients (<see cref="StepCoefficients"/>, functions of the schedule and
/// the step's times); the arithmetic on states is written twice (tensor ops vs scalar loops) and the models differ (tensor
/// oracle vs Theory oracle), so agreement to 1e-10 shows the state updates and the noise bookkeeping (one draw per step,
/// in order) are the same.
/// </summary>
public class TensorSamplersMatchNumericsTests
{
    private const double Tolerance = 1e-10; // max-abs over the batch, float64; states are O(1)
    private const int Rows = 12;
    private const int Steps = 16;

    public static IEnumerable<object[]> Names() => TensorSamplerRegistry.All().Select(s => new object[] { s.Name });

    private static IEnumerable<(GaussianMixture Mixture, Schedule Schedule, TimeGrid Grid)> Cases()
    {
        var vp = Verified.Theory.Schedules.VpLinear();
        yield return (GaussianMixture.Ring(5, 2.0, 0.2), vp, TimeGrids.UniformTime(vp, Steps, 1.0, 1e-3));
        var cosine = Verified.Theory.Schedules.VpCosine();
        yield return (Fixtures.FullCovariances(), cosine, TimeGrids.UniformLambda(cosine, Steps, 0.95, 1e-2));
        var flow = Verified.Theory.Schedules.LinearInterpolant();
        yield return (Fixtures.Labelled(), flow, TimeGrids.UniformTime(flow, Steps, 0.98, 1e-3));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Tensor_sampler_equals_the_Numerics_sampler_on_shared_noise(string name)
    {
        var tensorSampler = TensorSamplerRegistry.ByName(name);
        var reference = SamplerRegistry.ByName(name); // fails if the tensor sampler has no Numerics twin
        foreach (var (mixture, schedule, grid) in Cases())
        {
            if (tensorSampler.Requires == ScheduleRequirement.VariancePreserving && !schedule.IsVariancePreserving) continue;
            var starts = MarginalDraws.DrawMany(mixture, schedule, grid.Start, Rows, 99);
            using var oracle = new TensorMixtureOracle(mixture, schedule, CPU);
            using var start = Fixtures.Batch(starts);
            using var generator = new GeneratorNoise(7);
            using var noise = new RecordingTensorNoise(generator);
            var result = tensorSampler.Sample(new OracleTensorModel(oracle), start, grid, noise);
            using var state = result.State;
            var rows = Fixtures.Rows(state);
            var model = new OracleModel(mixture, schedule);
            for (int r = 0; r < Rows; r++)
            {
                var replay = new ReplayNoise(noise.RowDraws(r));
                var expected = reference.Sample(model, starts[r], grid, replay);
                Assert.Equal(noise.Count, replay.Consumed); // both consumed the same number of draws
                for (int j = 0; j < rows[r].Length; j++)
                    Assert.True(Math.Abs(rows[r][j] - expected.State[j]) < Tolerance,
                        $"{name} on {schedule.Name}: row {r}, coordinate {j}: tensor {rows[r][j]:R} vs Numerics {expected.State[j]:R}");
                Assert.Equal(expected.Evaluations, result.Evaluations);
            }
        }
    }

    [Fact]
    public void Every_Numerics_sampler_with_a_tensor_twin_is_registered()
    {
        var tensorNames = TensorSamplerRegistry.All().Select(s => s.Name).ToHashSet();
        string[] required = ["reverse-sde-em", "pf-ode-euler", "heun", "dpm-solver-1", "ddim(eta=0)", "ddim(eta=0.5)", "ddim(eta=1)", "ddpm(beta)", "ddpm(beta~)", "dpm-solver-2", "dpm-solver++(2m)", "fm-euler"];
        foreach (var n in required) Assert.Contains(n, tensorNames);
    }
}
