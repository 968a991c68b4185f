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
            // No exception: every registered sampler makes a claim the report checks (predictor-corrector with shrinkWithGrid).
            Assert.True(s.Info.WeakOrder is > 0 || s.Info.StrongOrder is > 0, $"{s.Info.Name} declares no order");
        }
    }

    [Fact]
    public void Registry_names_do_not_depend_on_the_culture()
    {
        var invariant = Names(System.Globalization.CultureInfo.InvariantCulture);
        var german = Names(new System.Globalization.CultureInfo("de-DE"));
        Assert.Equal(invariant, german);
        Assert.Contains("ddim(eta=0.5)", invariant);

        static List<string> Names(System.Globalization.CultureInfo culture)
        {
            var saved = System.Globalization.CultureInfo.CurrentCulture;
            try
            {
                System.Globalization.CultureInfo.CurrentCulture = culture;
                return SamplerRegistry.All().Select(s => s.Info.Name).ToList();
            }
            finally { System.Globalization.CultureInfo.CurrentCulture = saved; }
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
        foreach (var sampler in SamplerRegistry.All())
        {
            var (schedule, tStart, tEnd) = SamplerSetups.For(sampler);
            var model = Fixtures.Oracle(Fixtures.Mixture2D(), schedule);
            var grid = TimeGrids.UniformTime(schedule, 20, tStart, tEnd);
            var a = sampler.Sample(model, [0.3, -0.2], grid, new SeededNoise(42)).State;
            var b = sampler.Sample(model, [0.3, -0.2], grid, new SeededNoise(42)).State;
            Assert.True(a.SequenceEqual(b), $"{sampler.Info.Name} is not reproducible");
        }
    }

    [Fact]
    public void Declared_NFE_per_step_matches_the_count()
    {
        foreach (var sampler in SamplerRegistry.All())
        {
            if (sampler.Info.EvaluationsPerStep is not { } perStep) continue;
            var (schedule, tStart, tEnd) = SamplerSetups.For(sampler);
            var model = Fixtures.Oracle(Fixtures.Gaussian2D(), schedule);
            var grid = TimeGrids.UniformTime(schedule, 16, tStart, tEnd);
            var result = sampler.Sample(model, [0.1, 0.2], grid, new SeededNoise(1));
            Assert.True(Math.Abs(result.Evaluations - perStep * grid.Steps) <= perStep, $"{sampler.Info.Name}: {result.Evaluations} evaluations for {grid.Steps} steps");
        }
    }

    [Fact]
    public void Parallel_runs_with_derived_seeds_are_bit_identical_to_sequential_runs_for_every_sampler()
    {
        const int samples = 12;
        const ulong seed = 77;
        foreach (var sampler in SamplerRegistry.All())
        {
            var (schedule, tStart, tEnd) = SamplerSetups.For(sampler);
            var model = Fixtures.Oracle(Fixtures.Mixture2D(), schedule);
            var grid = TimeGrids.UniformTime(schedule, 10, tStart, tEnd);
            double[] Run(int i)
            {
                var start = MarginalDraws.Draw(model.Oracle.Mixture, schedule, tStart, new Xoshiro256(Xoshiro256.Derive(seed, (ulong)(2 * i))));
                return sampler.Sample(model, start, grid, new SeededNoise(Xoshiro256.Derive(seed, (ulong)(2 * i + 1)))).State;
            }
            var parallel = new double[samples][];
            Parallel.For(0, samples, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Run(i));
            for (int i = 0; i < samples; i++)
                Assert.True(parallel[i].SequenceEqual(Run(i)), $"{sampler.Info.Name}: sample {i} differs between parallel and sequential runs");
        }
    }
}
