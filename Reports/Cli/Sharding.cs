using System.CommandLine;
using System.Globalization;
using Verified.Numerics;
using Verified.Reports.Experiments;
using Verified.Reports.Model;
using Verified.Reports.Output;
using Verified.Reports.Storage;
using Verified.Reports.Subjects;

namespace Verified.Reports.Cli;

/// <summary>
/// <c>--shard K/N</c>: a CI matrix spreads the samplers over N machines; shard K measures the registered samplers
/// whose registry index i has i mod N = K - 1. Every ladder is seeded on its own, so a shard's ladders are the
/// same numbers a single run gives, and <see cref="Merge"/> puts the shards back in the single run's order.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The note a filtered run carries (written by the runner).</summary>
    private const string RestrictedNote = "samplers restricted to: ";

    /// <summary>Parses "K/N" (1 &lt;= K &lt;= N); null when the option was not given.</summary>
    /// <exception cref="UserErrorException">anything else, naming the option and the valid form.</exception>
    public static Shard? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && k >= 1 && k <= n)
            return new Shard(k, n);
        throw new UserErrorException($"--shard {text}: expected K/N with 1 <= K <= N (e.g. --shard 2/4)");
    }

    /// <summary>The option, shared by report, gate and baseline.</summary>
    public static Option<string> Option() => new("--shard") { Description = "Measure only shard K of N (K/N): the samplers with registry index i mod N = K-1. Combine the shards' outputs with the merge verb." };

    /// <summary>This shard's samplers among <paramref name="filter"/> (all of the catalog when null), in catalog order
    /// (built-ins in registry order, then samplers from --assembly / --external).</summary>
    public IReadOnlyList<string> Samplers(SamplerCatalog catalog, IReadOnlyList<string>? filter)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var names = catalog.Names;
        return names.Where((name, i) => i % Count == Index - 1 && (filter is null || filter.Contains(name))).ToList();
    }

    /// <summary>Joins shard documents into the document a single run over their samplers gives (timings aside):
    /// ladders and notes in registry order, the DDPM study in problem then registry order.</summary>
    /// <exception cref="InputFileException">the shards were measured with other presets or settings, or overlap.</exception>
    public static ReportDocument Merge(IReadOnlyList<ReportDocument> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0) throw new UserErrorException("merge: pass at least one shard file");
        var first = shards[0];
        foreach (var s in shards.Skip(1))
            if (s.Preset != first.Preset || Gate.GateComparer.SettingsMismatch(first, s) is not null)
                throw new InputFileException($"merge: the shards were measured with different presets or settings ('{first.Preset}' and '{s.Preset}'); rerun them with the same options");
        var order = SamplerRegistry.All().Select(s => s.Info.Name).Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i);
        int Rank(string sampler) => order.TryGetValue(sampler, out int i) ? i : int.MaxValue;
        var series = shards.SelectMany(s => s.Series).OrderBy(s => Rank(s.Sampler)).ToList();
        var duplicate = series.GroupBy(s => s.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InputFileException($"merge: ladder '{duplicate.Key}' is in more than one shard; pass each shard once");
        var problems = Problems.Names.ToList();
        var study = shards.SelectMany(s => s.DdpmStudy).OrderBy(r => problems.IndexOf(r.Problem)).ThenBy(r => Rank(r.Sampler)).ToList();
        var restricted = shards.SelectMany(s => s.Notes.Where(n => n.StartsWith(RestrictedNote, StringComparison.Ordinal))
            .SelectMany(n => SamplerNames.Parse([n[RestrictedNote.Length..]]) ?? [])).Distinct().OrderBy(Rank).ToList();
        var samplerNotes = shards.SelectMany(s => s.Notes.Where(n => !n.StartsWith(RestrictedNote, StringComparison.Ordinal) && !n.StartsWith("problems restricted", StringComparison.Ordinal)))
            .Distinct().OrderBy(n => Rank(n.Split(':')[0])).ToList();
        var notes = samplerNotes.ToList();
        if (restricted.Count > 0 && restricted.Count < order.Count) notes.Add(RestrictedNote + string.Join(", ", restricted));
        notes.AddRange(shards.SelectMany(s => s.Notes).Where(n => n.StartsWith("problems restricted", StringComparison.Ordinal)).Distinct());
        return first with { Series = series, DdpmStudy = study, Notes = notes };
    }
}

/// <summary>The <c>merge</c> verb: shard outputs back into one report directory or one baseline.</summary>
public static class MergeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var inputs = new Argument<string[]>("shards") { Description = "The shards' report.json files (from report --shard), or their baseline files (from baseline --shard).", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "Report shards: the report directory to write (same rules as report --out)." };
        var baseline = new Option<string>("--baseline") { Description = "Baseline shards: the baseline file to write (with its .samples.json sidecar)." };
        var command = new Command("merge", "Merge the outputs of --shard runs into what a single run writes (ladders in registry order). Exit 0 written, 2 usage or input error.")
        {
            inputs, outDir, baseline,
        };
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            var files = parse.GetValue(inputs) ?? [];
            string? target = parse.GetValue(outDir) is { Length: > 0 } o ? o : null;
            string? baselineTarget = parse.GetValue(baseline) is { Length: > 0 } b ? b : null;
            if ((target is null) == (baselineTarget is null))
                throw new UserErrorException("merge: pass exactly one of --out DIR (report shards) or --baseline FILE (baseline shards)");
            if (target is not null)
            {
                AtomicDirectory.Preflight(target);
                var merged = Shard.Merge(files.Select(ReportJson.Load).ToList());
                ReportWriter.Write(merged, target, GateSummary.Skipped("merged from shards: the gate runs per shard (gate --shard K/N)"),
                    Provenance.Collect(merged.Preset, merged.Settings.Seed, 0, RepositoryPaths.Root));
                Console.WriteLine($"{Tables.Counts(merged)}; merged {files.Length} shard(s) into {Path.GetFullPath(target)}");
            }
            else
            {
                var merged = Shard.Merge(files.Select(f => BaselineFile.Load(f)).ToList());
                BaselineFile.Save(merged, baselineTarget!);
                Console.WriteLine($"baseline written: {Path.GetFullPath(baselineTarget!)} ({merged.Series.Count} ladders from {files.Length} shard(s))");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
