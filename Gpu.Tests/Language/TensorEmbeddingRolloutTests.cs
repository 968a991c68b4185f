using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;
using TensorTable = Verified.Gpu.EmbeddingTable;

namespace Verified.Gpu.Tests.Language;

/// <summary>The tensor rollout against the CPU rollout (Numerics' EmbeddingRollout) on the same start and noise:
/// recorded tensor draws are replayed row by row into the CPU rollout, whose model is the Theory oracle of the same
/// embedded token law (the tensor side uses the tensor oracle), so both the formula and the noise order must agree.</summary>
public class TensorEmbeddingRolloutTests
{
    private static readonly double[][] Rows = [[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-0.5, -1.5]];
    private static readonly TokenSequenceLaw Law = new([[0, 1, 3], [2, 2, 0], [1, 0, 3], [3, 3, 1]], [0.4, 0.3, 0.2, 0.1]);
    private const int Count = 10;

    public static TheoryData<string, double> Cases => new()
    {
        { "vp-linear", 0.0 }, { "vp-linear", 0.5 }, { "vp-linear", 1.0 }, { "edm", 0.7 }, { "linear-interpolant", 1.0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tensor_rollout_equals_the_CPU_rollout_on_shared_noise(string scheduleName, double eta)
    {
        Schedule schedule = scheduleName switch
        {
            "vp-linear" => Verified.Theory.Schedules.VpLinear(),
            "edm" => Verified.Theory.Schedules.Edm(),
            _ => Verified.Theory.Schedules.LinearInterpolant(),
        };
        double top = schedule.TMaxIncluded ? schedule.TMax : 0.98 * schedule.TMax;
        // End at sigma/alpha = 1/2, where the posterior over the embedded sequences (means ~2 apart) is not yet
        // one-hot, so the final prediction still depends on every step.
        var grid = TimeGrids.UniformLambda(schedule, 23, top, schedule.LambdaInverse(Math.Log(2.0)));
        var tensorTable = new TensorTable(Rows);
        var cpuTable = tensorTable.Table;
        var mixture = Law.Embedded(cpuTable);
        using var oracle = new TensorMixtureOracle(mixture, schedule, CPU);
        using var generator = new GeneratorNoise(11);
        using var noise = new RecordingTensorNoise(generator);
        var (tokens, prediction) = TensorEmbeddingRollout.Generate(new OracleTensorModel(oracle), tensorTable, grid, eta, Count, noise);
        using (tokens)
        using (prediction)
        {
            var predicted = Fixtures.Rows(prediction);
            var cpu = new EmbeddingRollout(cpuTable, eta);
            var model = new OracleModel(mixture, schedule);
            for (int r = 0; r < Count; r++)
            {
                var replay = new ReplayNoise(noise.RowDraws(r));
                var expected = cpu.Generate(model, grid, replay);
                Assert.Equal(noise.Count, replay.Consumed);
                for (int j = 0; j < expected.Prediction.Length; j++)
                    Assert.True(Math.Abs(predicted[r][j] - expected.Prediction[j]) < 1e-9,
                        $"{scheduleName}, eta {eta}: row {r}, coordinate {j}: tensor {predicted[r][j]:R} vs CPU {expected.Prediction[j]:R}");
                using var row = tokens[r];
                Assert.Equal(expected.Tokens, row.data<long>().ToArray().Select(v => (int)v).ToArray());
            }
        }
    }
}
