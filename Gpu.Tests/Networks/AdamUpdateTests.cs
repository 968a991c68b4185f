using TorchSharp;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Networks;

/// <summary>Verified's Adam update (written with Scalars it keeps alive) against TorchSharp's optim.Adam, the
/// implementation it replaces in training: the same parameters, bit for bit, after 30 annealed steps.</summary>
public class AdamUpdateTests
{
    [Fact]
    public void Matches_TorchSharp_Adam_bit_for_bit_under_the_cosine_schedule()
    {
        using var generator = new Generator(5, CPU);
        using var inputs = randn([64, 3], ScalarType.Float32, CPU, generator: generator);
        using var targets = randn([64, 2], ScalarType.Float32, CPU, generator: generator);
        var reference = Train(inputs, targets, useTorchSharpStep: true);
        var ours = Train(inputs, targets, useTorchSharpStep: false);
        Assert.Equal(reference.Length, ours.Length);
        for (int i = 0; i < reference.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(reference[i]) == BitConverter.SingleToInt32Bits(ours[i]),
                $"parameter value {i}: TorchSharp {reference[i]:R}, ours {ours[i]:R}");
        Assert.NotEqual(Initial(), reference); // the steps moved the parameters
    }

    private static float[] Initial()
    {
        using var layer = Layer();
        return layer.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }

    /// <summary>The same starting weights every time, from a private generator: the global one is shared with the
    /// tests that run in parallel (seeding it here made this test flaky).</summary>
    private static TorchSharp.Modules.Linear Layer()
    {
        var layer = nn.Linear(3, 2, dtype: ScalarType.Float32);
        using var generator = new Generator(11, CPU);
        using var noGrad = no_grad();
        foreach (var p in layer.parameters())
        {
            using var values = randn(p.shape, ScalarType.Float32, CPU, generator: generator);
            p.copy_(values);
        }
        return layer;
    }

    private static float[] Train(Tensor inputs, Tensor targets, bool useTorchSharpStep)
    {
        using var layer = Layer();
        using var optimizer = optim.Adam(layer.parameters(), 0.05);
        var annealing = optim.lr_scheduler.CosineAnnealingLR(optimizer, 30);
        using var ours = new AdamUpdate(layer.parameters());
        for (int step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.mse_loss(layer.forward(inputs), targets);
            optimizer.zero_grad();
            loss.backward();
            if (useTorchSharpStep) optimizer.step();
            else ours.Step(optimizer.ParamGroups.First().LearningRate);
            annealing.step();
        }
        return layer.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }
}
