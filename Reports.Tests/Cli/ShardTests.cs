using Verified.Numerics;
using Verified.Reports.Cli;
using Verified.Reports.Experiments;
using Verified.Reports.Model;
using Verified.Reports.Storage;

namespace Verified.Reports.Tests.Cli;

/// <summary>--shard K/N and merge: the shards partition the samplers, and the merged result is the single run's, byte for byte (timings aside).</summary>
public class ShardTests
{
    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    public void Bad_shards_name_the_option_and_the_valid_form(string text)
    {
        var e = Assert.Throws<UserErrorException>(() => Shard.Parse(text));
        Assert.Contains("--shard", e.Message);
        Assert.Contains("K/N", e.Message);
    }

    [Fact]
    public void The_shards_partition_the_registry()
    {
        var names = SamplerRegistry.All().Select(s => s.Info.Name).ToList();
        var parts = Enumerable.Range(1, 3).Select(k => new Shard(k, 3).Samplers(Verified.Reports.Subjects.SamplerCatalog.BuiltIn, null)).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), parts.SelectMany(p => p).Order(StringComparer.Ordinal));
        Assert.All(parts, p => Assert.NotEmpty(p));
    }

    // Timings: per-point wall times and the run's throughput note (each shard measures its own throughput).
    private static ReportDocument WithoutTimings(ReportDocument d) =>
        d with
        {
            Series = d.Series.Select(s => s with { Points = s.Points.Select(p => p with { SecondsPerSample = 0 }).ToList() }).ToList(),
            Notes = d.Notes.Where(n => !n.StartsWith("mixture tier, batched path:", StringComparison.Ordinal)).ToList(),
        };

    [Fact]
    public void Merged_shards_equal_a_single_run_byte_for_byte_timings_aside()
    {
        var names = SamplerRegistry.All().Select(s => s.Info.Name).ToList();
        string[] wanted = ["reverse-sde-em", "heun", "ddim(eta=0)", "ddpm(beta)", "ddpm(beta~)", "dpm-solver-2"];
        var selected = names.Where(wanted.Contains).ToList();
        Assert.Equal(wanted.Length, selected.Count);
        var preset = Preset.Quick with { DdpmStudy = true };
        string[] problems = ["gauss-1d", "ring-2d"];
        var single = ReportRunner.Run(new RunRequest(preset, selected, problems));
        var shards = Enumerable.Range(1, 3).Select(k => ReportRunner.Run(new RunRequest(preset, new Shard(k, 3).Samplers(Verified.Reports.Subjects.SamplerCatalog.BuiltIn, selected), problems))).ToList();
        Assert.All(shards, s => Assert.True(s.Series.Count < single.Series.Count));
        var merged = Shard.Merge(shards.AsEnumerable().Reverse().ToList());
        Assert.NotEmpty(single.DdpmStudy);
        Assert.Equal(ReportJson.Serialize(WithoutTimings(single)), ReportJson.Serialize(WithoutTimings(merged)));

        // Through the baseline files too (the CI path: baseline --shard on each machine, then merge).
        using var dir = new Fixtures.TempDir();
        var parts = shards.Select((s, i) => { var p = Path.Combine(dir.Path, $"part{i}.json"); BaselineFile.Save(s, p); return BaselineFile.Load(p); }).ToList();
        BaselineFile.Save(Shard.Merge(parts), Path.Combine(dir.Path, "merged.json"));
        BaselineFile.Save(single, Path.Combine(dir.Path, "single.json"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.Path, "single.samples.json")), File.ReadAllBytes(Path.Combine(dir.Path, "merged.samples.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(dir.Path, "single.json")).Replace("single.samples.json", "X"),
            File.ReadAllText(Path.Combine(dir.Path, "merged.json")).Replace("merged.samples.json", "X"));
    }

    [Fact]
    public void Overlapping_shards_are_refused()
    {
        var doc = Fixtures.Document(Fixtures.Exact());
        Assert.Throws<InputFileException>(() => Shard.Merge([doc, doc]));
    }
}
