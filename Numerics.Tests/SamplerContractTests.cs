using System.Reflection;
using Verified.Theory;

namespace Verified.Numerics.Tests;

public class SamplerContractTests
{
    [Fact]
    public void Every_concrete_sampler_class_is_registered()
    {
        var registered = SamplerRegistry.All().Select(s => s.GetType()).ToHashSet();
        var concrete = typeof(Sampler).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Sampler)) && !t.IsAbstract && t.IsPublic);
        var missing = concrete.Where(t => !registered.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, $"samplers missing from SamplerRegistry.All(): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Registry_names_are_unique_and_every_sampler_declares_a_weak_order_and_equation()
    {
        var all = SamplerRegistry.All();
        Assert.Equal(all.Count, all.Select(s => s.Info.Name).Distinct().Count());
        foreach (var s in all)
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Info.Equation), s.Info.Name);
            Assert.True(s.Info.WeakOrder is > 0 || s.Info.StrongOrder is > 0, $"{s.Info.Name} declares no order");
        }
    }

    [Fact]
    public void Unknown_sampler_name_lists_the_valid_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => SamplerRegistry.ByName("no-such-sampler"));
        Assert.Contains("heun", ex.Message);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_output_for_every_sampler()
    {
        var schedule = Schedules.VpLinear();
        var model = Fixtures.Oracle(Fixtures.Mixture2D(), schedule);
        var grid = TimeGrids.UniformTime(schedule, 20, 1.0, 1e-3);
        foreach (var sampler in SamplerRegistry.All())
        {
            if (sampler.Info.Requires == ScheduleRequirement.Follmer) continue;
            var a = sampler.Sample(model, [0.3, -0.2], grid, new SeededNoise(42)).State;
            var b = sampler.Sample(model, [0.3, -0.2], grid, new SeededNoise(42)).State;
            Assert.True(a.SequenceEqual(b), $"{sampler.Info.Name} is not reproducible");
        }
    }

    [Fact]
    public void Declared_NFE_per_step_matches_the_count()
    {
        var schedule = Schedules.VpLinear();
        var model = Fixtures.Oracle(Fixtures.Gaussian2D(), schedule);
        var grid = TimeGrids.UniformTime(schedule, 16, 1.0, 1e-3);
        foreach (var sampler in SamplerRegistry.All())
        {
            if (sampler.Info.EvaluationsPerStep is not { } perStep || sampler.Info.Requires == ScheduleRequirement.Follmer) continue;
            var result = sampler.Sample(model, [0.1, 0.2], grid, new SeededNoise(1));
            Assert.True(Math.Abs(result.Evaluations - perStep * grid.Steps) <= perStep, $"{sampler.Info.Name}: {result.Evaluations} evaluations for {grid.Steps} steps");
        }
    }
}
