using Verified.Theory;

namespace Verified.Gpu.Tests.Networks;

/// <summary>The training-data record of a checkpoint: kept through save/load, and a different law is refused.</summary>
public class TrainingDataTests
{
    [Fact]
    public void Equal_mixtures_give_equal_records_and_any_changed_parameter_another()
    {
        var ring = TrainingData.Describe(GaussianMixture.Ring(6, 2.0, 0.3));
        Assert.Equal(ring, TrainingData.Describe(GaussianMixture.Ring(6, 2.0, 0.3)));
        foreach (var other in new[] { GaussianMixture.Ring(8, 2.0, 0.3), GaussianMixture.Ring(6, 2.5, 0.3), GaussianMixture.Ring(6, 2.0, 0.31) })
            Assert.NotEqual(ring, TrainingData.Describe(other));
    }

    [Fact]
    public void A_saved_checkpoint_keeps_its_record_and_refuses_another_law()
    {
        var data = GaussianMixture.Ring(6, 2.0, 0.3);
        var config = new NetworkConfig(2, NetworkTarget.Noise, Schedules.VpLinear().Name, Hidden: 8, Layers: 1, TrainedOn: TrainingData.Describe(data));
        var path = Path.Combine(Path.GetTempPath(), $"verified-trained-on-{Guid.NewGuid():N}.ckpt");
        using (var network = new DenoiserNetwork(config, 1)) Checkpoint.Save(network, path);
        using var loaded = Checkpoint.Load(path);
        Assert.Equal(config.TrainedOn, loaded.Config.TrainedOn);
        TrainingData.CheckTrainedOn(loaded.Config, data, path); // the same law passes
        var error = Assert.Throws<CheckpointException>(() => TrainingData.CheckTrainedOn(loaded.Config, GaussianMixture.Ring(8, 2.0, 0.3), path));
        Assert.Contains("trained on another data law", error.Message);
        Assert.Throws<CheckpointException>(() => TrainingData.CheckTrainedOn(loaded.Config, GaussianMixture.PointMasses([1.0], [[0.0, 0.0, 0.0]]), path));
        File.Delete(path);
    }
}
