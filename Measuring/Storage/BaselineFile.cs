using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Verified.Reports.Analysis;
using Verified.Reports.Model;

namespace Verified.Reports.Storage;

/// <summary>
/// The committed baseline as two reviewable files. <c>baseline.json</c> holds one line per ladder with only what
/// the gate compares (key, tier, declared and fitted order, verdict, and per N: NFE, error, dropped); no wall
/// times, reasons or prose, so re-recording unchanged numerics rewrites identical bytes. The per-sample Monte
/// Carlo values the gate's paired test needs go to the sidecar <c>baseline.samples.json</c>, one line per ladder
/// point, as base64 of little-endian doubles (exact, compact). Readers refuse every malformed case with a
/// message naming the file and what to do.
/// </summary>
public static class BaselineFile
{
    /// <summary>Schema id of the main file.</summary>
    public const string Schema = "verified-baseline/3";

    /// <summary>Schema id of the sidecar.</summary>
    public const string SamplesSchema = "verified-baseline-samples/2";

    private static readonly JsonSerializerOptions Line = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    private sealed record SchemaOnly(string Schema);

    private sealed record Header(string Schema, string Preset, string Samples, Settings Settings, IReadOnlyList<Series> Series);

    private sealed record Settings(IReadOnlyList<int> ExactLadder, IReadOnlyList<int> MixtureLadder, int ReferenceSteps, int StrongStarts, int MonteCarloSamples, ulong Seed,
        int? MaxMonteCarloSamples = null, double? TargetRelativeHalfWidth = null);

    private sealed record Series(string Sampler, string Problem, string Schedule, string Tier, string Metric, double DeclaredOrder, IReadOnlyList<Point> Points, string Verdict, double? Order = null, double? RoundOffFloor = null);

    // HalfWidth (Monte Carlo rows) and the series' RoundOffFloor are stored so the gate can re-judge the baseline's ladders.
    private sealed record Point(int N, int Nfe, double Error, string? Dropped = null, double? HalfWidth = null);

    private sealed record SamplesFile(string Schema, string Preset, IReadOnlyList<SampleLine> Points);

    private sealed record SampleLine(string Key, int N, string Samples);

    /// <summary>The sidecar's path: <c>X.json</c> becomes <c>X.samples.json</c>.</summary>
    public static string SamplesPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".json", StringComparison.Ordinal) ? path[..^5] + ".samples.json" : path + ".samples.json";
    }

    /// <summary>The main file's text (one line per ladder).</summary>
    public static string SerializeMain(ReportDocument document, string samplesFileName)
    {
        ArgumentNullException.ThrowIfNull(document);
        var s = document.Settings;
        var settings = new Settings(s.ExactLadder, s.MixtureLadder, s.ReferenceSteps, s.StrongStarts, s.MonteCarloSamples, s.Seed, s.MaxMonteCarloSamples, s.TargetRelativeHalfWidth);
        var sb = new StringBuilder();
        sb.Append("{\"schema\":").Append(JsonSerializer.Serialize(Schema, Line))
          .Append(",\"preset\":").Append(JsonSerializer.Serialize(document.Preset, Line))
          .Append(",\"samples\":").Append(JsonSerializer.Serialize(samplesFileName, Line)).Append(",\n");
        sb.Append("\"settings\":").Append(JsonSerializer.Serialize(settings, Line)).Append(",\n");
        sb.Append("\"series\":[\n");
        sb.AppendJoin(",\n", document.Series.Select(r => JsonSerializer.Serialize(
            new Series(r.Sampler, r.Problem, r.Schedule, r.Tier.Name, r.Metric.Name, r.DeclaredOrder,
                r.Points.Select(p => new Point(p.N, p.Nfe, p.Error, p.Dropped?.Name, p.HalfWidth > 0 ? p.HalfWidth : null)).ToList(), r.Verdict.Name, r.Fit.Order, r.RoundOffFloor), Line)));
        sb.Append("\n]}\n");
        return sb.ToString();
    }

    /// <summary>The sidecar's text (one line per ladder point that has per-sample values).</summary>
    public static string SerializeSamples(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var lines = document.Series.SelectMany(r => r.Points.Where(p => p.Samples is not null)
            .Select(p => JsonSerializer.Serialize(new SampleLine(r.Key, p.N, Encode(p.Samples!)), Line)));
        return "{\"schema\":" + JsonSerializer.Serialize(SamplesSchema, Line) + ",\"preset\":" + JsonSerializer.Serialize(document.Preset, Line)
            + ",\"points\":[\n" + string.Join(",\n", lines) + "\n]}\n";
    }

    /// <summary>Writes both files, each through <see cref="AtomicFile"/> (temporary file renamed over the target).</summary>
    public static void Save(ReportDocument document, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var samples = SamplesPath(path);
        AtomicFile.WriteText(samples, SerializeSamples(document));
        AtomicFile.WriteText(path, SerializeMain(document, Path.GetFileName(samples)));
    }

    /// <summary>Reads both files into a document holding what the gate compares (reasons empty, wall times 0).</summary>
    /// <exception cref="InputFileException">either file is missing, a directory, empty, truncated, of another schema or preset, or inconsistent.</exception>
    public static ReportDocument Load(string path, string? expectedPreset = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = ReadText(path, "baseline");
        var schema = Parse<SchemaOnly>(text, path, "baseline").Schema;
        if (schema != Schema)
            throw new InputFileException(schema == ReportDocument.CurrentSchema
                ? $"{path} is in the old one-value-per-line format ({schema}); re-record it with: baseline --force"
                : schema == "verified-baseline/2"
                    ? $"{path} has schema '{schema}': its strong-path ladders hold the RMS distance, which this program replaced by the mean distance ({Schema}); re-record it with: baseline --force"
                    : $"{path} has schema '{schema}', this program reads '{Schema}'; re-record it with: baseline --force");
        var header = Parse<Header>(text, path, "baseline");
        if (expectedPreset is not null && header.Preset != expectedPreset)
            throw new InputFileException($"{path} was recorded with preset '{header.Preset}', the gate runs '{expectedPreset}'; re-record it with: baseline --force");
        var samplesPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, header.Samples);
        var sidecar = Parse<SamplesFile>(ReadText(samplesPath, $"per-sample file of {path}"), samplesPath, "per-sample");
        if (sidecar.Schema != SamplesSchema)
            throw new InputFileException($"{samplesPath} has schema '{sidecar.Schema}', this program reads '{SamplesSchema}'; re-record with: baseline --force");
        if (sidecar.Preset != header.Preset)
            throw new InputFileException($"{samplesPath} belongs to preset '{sidecar.Preset}' but {path} to '{header.Preset}'; re-record with: baseline --force");
        var samples = new Dictionary<(string, int), double[]>();
        foreach (var line in sidecar.Points) samples[(line.Key, line.N)] = Decode(line.Samples, samplesPath, $"{line.Key} N={line.N}");
        var series = new List<SeriesResult>();
        foreach (var r in header.Series)
        {
            var key = $"{r.Sampler} | {r.Problem} | {r.Schedule} | {r.Metric}";
            var points = new List<LadderPoint>();
            foreach (var p in r.Points)
            {
                if (p.N < 1) throw new InputFileException($"{path}: series '{key}' has a point with N = {p.N}; N must be >= 1");
                samples.TryGetValue((key, p.N), out var values);
                if (r.Tier == Tier.MonteCarlo.Name && values is null)
                    throw new InputFileException($"{samplesPath} has no per-sample values for '{key}' N={p.N}; the two files do not belong together; re-record with: baseline --force");
                points.Add(new LadderPoint(p.N, p.Nfe, p.Error, p.HalfWidth ?? 0, 0, null, p.Dropped is null ? null : Wire<DropReason>(p.Dropped, path, key), values));
            }
            series.Add(new SeriesResult(r.Sampler, r.Problem, r.Schedule, Wire<Tier>(r.Tier, path, key), Wire<Metric>(r.Metric, path, key), r.DeclaredOrder, points,
                new FitResult(r.Order, null, null, 0, 0, []), Wire<Verdict>(r.Verdict, path, key), "", r.RoundOffFloor));
        }
        var s = header.Settings;
        var settings = new RunSettings(s.ExactLadder, s.MixtureLadder, s.ReferenceSteps, s.StrongStarts, s.MonteCarloSamples, s.Seed, [], new Dictionary<string, string>(), s.MaxMonteCarloSamples, s.TargetRelativeHalfWidth);
        return new ReportDocument(ReportDocument.CurrentSchema, header.Preset, settings, series, [], []);
    }

    private static string Encode(double[] values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        return Convert.ToBase64String(bytes);
    }

    private static double[] Decode(string text, string path, string what)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InputFileException($"{path}: the values of {what} are not valid base64; re-record with: baseline --force");
        }
        if (bytes.Length % 8 != 0) throw new InputFileException($"{path}: the values of {what} are {bytes.Length} bytes, not a whole number of doubles; re-record with: baseline --force");
        var values = new double[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8));
        return values;
    }

    private static string ReadText(string path, string what)
    {
        if (Directory.Exists(path)) throw new InputFileException($"{what} {path} is a directory, not a file; pass the baseline file (record one with the baseline verb)");
        if (!File.Exists(path)) throw new InputFileException($"{what} {path} does not exist; record one with the baseline verb");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"cannot read {what} {path}: {e.Message}", e);
        }
        if (string.IsNullOrWhiteSpace(text)) throw new InputFileException($"{what} {path} is empty; re-record it with: baseline --force");
        return text;
    }

    /// <summary>A tier, metric, verdict or drop-reason name read back; an unknown name is a clear input error.</summary>
    private static T Wire<T>(string name, string path, string key) where T : class, IWireName<T>
    {
        try
        {
            return WireNames.Parse<T>(name);
        }
        catch (ArgumentException e)
        {
            throw new InputFileException($"{path}: series '{key}': {e.Message}; re-record it with: baseline --force", e);
        }
    }

    private static T Parse<T>(string text, string path, string what) where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(text, Line);
        }
        catch (JsonException e)
        {
            throw new InputFileException($"{path} is not a valid {what} file: it is truncated, not JSON, or has a missing or mistyped field{JsonErrors.Where(e)}; re-record it with: baseline --force", e);
        }
        return value ?? throw new InputFileException($"{path} holds JSON null instead of a {what} file; re-record it with: baseline --force");
    }
}
