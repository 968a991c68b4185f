using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu.Tests.Networks;

public class CheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("verified-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static DenoiserNetwork Trained(NetworkConfig config, ulong seed, int steps = 5)
    {
        var network = new DenoiserNetwork(config, seed);
        var data = config.Classes > 0 ? Fixtures.Labelled() : GaussianMixture.Ring(4, 1.5, 0.3);
        Trainer.Train(network, data, new TrainingOptions(Steps: steps, BatchSize: 32, Seed: seed));
        return network;
    }

    private static float[] Evaluate(DenoiserNetwork network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = linspace(-2, 2, 40, ScalarType.Float32).reshape(20, 2);
        var t = linspace(0.05, 0.95, 20, ScalarType.Float32);
        var classes = network.Config.Classes > 0 ? arange(20, ScalarType.Int64) % 3 - 1 : null;
        return network.Forward(x, t, classes).data<float>().ToArray();
    }

    [Theory]
    [InlineData(NetworkTarget.Noise, 0)]
    [InlineData(NetworkTarget.VPrediction, 0)]
    [InlineData(NetworkTarget.Velocity, 0)]
    [InlineData(NetworkTarget.Noise, 2)]
    public void Save_then_load_gives_the_same_network_bit_for_bit(NetworkTarget target, int classes)
    {
        var config = new NetworkConfig(2, target, "vp-linear(0.1,20)", Hidden: 16, Layers: 2, Classes: classes);
        using var network = Trained(config, 3);
        var path = Path.Combine(folder, "net.ckpt");
        Checkpoint.Save(network, path);
        using var loaded = Checkpoint.Load(path);
        Assert.Equal(network.Config, loaded.Config);
        Assert.Equal(Evaluate(network), Evaluate(loaded));
        using var fresh = new DenoiserNetwork(config, 3); // an untrained network differs: the comparison can fail
        Assert.NotEqual(Evaluate(network), Evaluate(fresh));
    }

    [Fact]
    public void Same_seed_gives_bit_identical_training_and_another_seed_does_not()
    {
        var config = new NetworkConfig(2, NetworkTarget.Noise, "vp-linear(0.1,20)", Hidden: 16, Layers: 2, Classes: 2);
        using var a = Trained(config, 11, 20);
        using var b = Trained(config, 11, 20);
        using var c = Trained(config, 12, 20);
        Assert.Equal(Evaluate(a), Evaluate(b));
        Assert.NotEqual(Evaluate(a), Evaluate(c));
    }

    [Fact]
    public void Damaged_or_foreign_files_give_a_clear_error()
    {
        var config = new NetworkConfig(2, NetworkTarget.Noise, "vp-linear(0.1,20)", Hidden: 8, Layers: 1);
        using var network = new DenoiserNetwork(config, 1);
        var good = Path.Combine(folder, "good.ckpt");
        Checkpoint.Save(network, good);
        var bytes = File.ReadAllBytes(good);

        var flipped = Path.Combine(folder, "flipped.ckpt");
        var copy = (byte[])bytes.Clone();
        copy[^10] ^= 0x40;
        File.WriteAllBytes(flipped, copy);
        Assert.Contains("damaged", Assert.Throws<CheckpointException>(() => Checkpoint.Load(flipped)).Message);

        var truncated = Path.Combine(folder, "truncated.ckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.Contains("damaged", Assert.Throws<CheckpointException>(() => Checkpoint.Load(truncated)).Message);

        var foreign = Path.Combine(folder, "foreign.ckpt");
        File.WriteAllText(foreign, "this is not a network");
        Assert.Contains("not a Verified network checkpoint", Assert.Throws<CheckpointException>(() => Checkpoint.Load(foreign)).Message);

        var missing = Path.Combine(folder, "missing.ckpt");
        Assert.Contains("cannot read", Assert.Throws<CheckpointException>(() => Checkpoint.Load(missing)).Message);
    }

    [Fact]
    public void A_valid_checksum_over_a_bad_config_still_gives_a_clear_error()
    {
        // Forge a file with a correct checksum but an unknown schedule: the config check, not TorchSharp, must catch it.
        var config = "{\"Dimension\":2,\"Target\":\"Noise\",\"ScheduleName\":\"no-such-schedule\",\"Hidden\":8,\"Layers\":1,\"Frequencies\":2,\"Classes\":0}"u8.ToArray();
        var payload = BitConverter.GetBytes(config.Length).Concat(config).ToArray();
        var file = "VRFDNET1"u8.ToArray().Concat(System.Security.Cryptography.SHA256.HashData(payload)).Concat(payload).ToArray();
        var path = Path.Combine(folder, "forged.ckpt");
        File.WriteAllBytes(path, file);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains("unknown schedule 'no-such-schedule'", error.Message);
    }
}
