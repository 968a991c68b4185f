using System.CommandLine;
using System.Text.Json;
using Verified.Numerics;
using Verified.Reports.Storage;

namespace Verified.Reports.Cli;

/// <summary>The <c>sample</c> verb: one sampler on one case file, writing the final batch, the NFE and the time of every
/// model evaluation as JSON, for number-for-number comparison with another implementation.</summary>
public static class SampleCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var caseFile = new Argument<string>("case") { Description = "Case file (JSON: mixture, schedule, grid, start, optional noise; docs/PROTOCOL.md)." };
        var sampler = new Option<string>("--sampler") { Description = "Sampler name (built-in or from --external).", Required = true };
        var outFile = new Option<string>("--out") { Description = "Output JSON file (refuses to overwrite one unless --force). Default: stdout." };
        var force = new Option<bool>("--force") { Description = "Overwrite --out if it exists." };
        var sources = new SamplerOptions("(not used by sample: --sampler names the one sampler)");
        var command = new Command("sample", "Run one sampler on a case file and write the final batch, the NFE and the time of every model evaluation as JSON. Exit 0 written, 2 usage or input error.")
        {
            caseFile, sampler, outFile, force,
        };
        sources.AddSourcesTo(command);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string? target = parse.GetValue(outFile) is { Length: > 0 } o ? o : null;
            if (target is not null && File.Exists(target) && !parse.GetValue(force))
                throw new UserErrorException($"--out {target} exists; pass --force to overwrite it");
            var c = SampleCase.Load(parse.GetValue(caseFile)!);
            using var externals = sources.StartExternal(parse);
            var (catalog, _) = sources.Catalog(parse, externals);
            string name = parse.GetValue(sampler)!;
            var subject = catalog.Find(name) ?? throw new UserErrorException(catalog.Unknown([name])!);
            var json = Run(subject.Instance(), c);
            if (target is null) { Console.Out.Write(json); Console.Out.WriteLine(); return ExitCodes.Ok; }
            AtomicFile.WriteText(target, json + "\n");
            Console.Error.WriteLine($"written: {Path.GetFullPath(target)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Runs <paramref name="sampler"/> on the case and returns the output document.</summary>
    internal static string Run(Sampler sampler, SampleCase c)
    {
        var model = new RecordingModel(new OracleModel(c.Mixture, c.Schedule));
        SamplingResult result;
        try { result = sampler.Sample(model, c.Start, c.Grid, c.Noise); }
        catch (ArgumentException e) { throw new InputFileException($"{sampler.Info.Name} refused the case: {e.Message}"); }
        catch (InvalidOperationException e) when (e is not ObjectDisposedException) { throw new InputFileException($"{sampler.Info.Name} failed on the case: {e.Message}"); }
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("sampler", sampler.Info.Name);
            w.WriteString("schedule", c.Schedule.Name);
            w.WriteNumber("n", c.Count);
            w.WriteNumber("d", c.Dimension);
            w.WriteNumber("steps", c.Grid.Steps);
            w.WriteString("noise", c.NoiseDescription);
            w.WriteNumber("nfe", result.Evaluations);
            w.WriteStartArray("x");
            for (int i = 0; i < c.Count; i++)
            {
                w.WriteStartArray();
                for (int j = 0; j < c.Dimension; j++) w.WriteNumberValue(result.State[i * c.Dimension + j]);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("evaluation_times");
            foreach (var t in model.Times) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
