using System.Text.Json;
using Verified.Numerics;
using Verified.Reports.Storage;
using Verified.Theory;

namespace Verified.Reports.Cli;

/// <summary>A case file of the <c>sample</c> verb (schema in docs/PROTOCOL.md, "The sample verb"): the data law, the
/// schedule, an explicit grid, the start batch and optionally the noise. Every error names the field.</summary>
internal sealed record SampleCase(GaussianMixture Mixture, Schedule Schedule, TimeGrid Grid, int Count, int Dimension,
    double[] Start, INoiseSource Noise, string NoiseDescription)
{
    public static SampleCase Load(string path)
    {
        if (!File.Exists(path)) throw new InputFileException($"case file {path} does not exist");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InputFileException($"case file {path} is not JSON: {e.Message}"); }
        try
        {
            return Read(doc.RootElement);
        }
        catch (CaseError e)
        {
            throw new InputFileException($"case file {path}: {e.Message}");
        }
    }

    private sealed class CaseError(string message) : Exception(message);

    private static SampleCase Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new CaseError("the top level must be an object");
        var mixture = ReadMixture(Field(root, "mixture"));
        int d = mixture.Dimension;
        var schedule = ReadSchedule(Field(root, "schedule"));
        var times = Vector(Field(root, "grid"), "grid");
        TimeGrid grid;
        try { grid = new TimeGrid(times); grid.CheckInside(schedule, "grid"); }
        catch (ArgumentException e) { throw new CaseError($"grid: {e.Message}"); }
        var rows = Matrix(Field(root, "start"), "start", d);
        var start = rows.SelectMany(r => r).ToArray();
        int n = rows.Length;
        var (noise, description) = root.TryGetProperty("noise", out var nz) ? ReadNoise(nz, n, d) : (new SeededNoise(Preset), $"seeded, seed {Preset}");
        return new SampleCase(mixture, schedule, grid, n, d, start, noise, description);
    }

    /// <summary>The seed used when the case file gives no noise.</summary>
    public const ulong Preset = 12345;

    private static JsonElement Field(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? v : throw new CaseError($"missing field '{name}'");

    private static GaussianMixture ReadMixture(JsonElement m)
    {
        if (m.ValueKind != JsonValueKind.Object) throw new CaseError("mixture must be an object with weights, means, covariances");
        var means = Matrix(Field(m, "means"), "mixture.means", null);
        int d = means[0].Length, k = means.Length;
        var weights = m.TryGetProperty("weights", out var w) ? Vector(w, "mixture.weights") : Enumerable.Repeat(1.0 / k, k).ToArray();
        if (weights.Length != k) throw new CaseError($"mixture.weights has {weights.Length} entries, mixture.means {k}");
        var covs = Field(m, "covariances");
        if (covs.ValueKind != JsonValueKind.Array || covs.GetArrayLength() != k)
            throw new CaseError($"mixture.covariances must be an array of {k} d x d matrices (one per mean)");
        var covariances = covs.EnumerateArray().Select((c, i) =>
        {
            var rows = Matrix(c, $"mixture.covariances[{i}]", d);
            if (rows.Length != d) throw new CaseError($"mixture.covariances[{i}] has {rows.Length} rows, expected d = {d}");
            var a = new double[d, d];
            for (int r = 0; r < d; r++) for (int col = 0; col < d; col++) a[r, col] = rows[r][col];
            return a;
        }).ToArray();
        try { return new GaussianMixture(weights, means, covariances); }
        catch (ArgumentException e) { throw new CaseError($"mixture: {e.Message}"); }
    }

    private static Schedule ReadSchedule(JsonElement s)
    {
        if (s.ValueKind != JsonValueKind.Object) throw new CaseError("schedule must be an object with a 'family' (vp-linear, vp-cosine, sub-vp, ve, edm, linear-interpolant, follmer) and optional parameters");
        var family = Field(s, "family");
        string name = family.ValueKind == JsonValueKind.String ? family.GetString()! : throw new CaseError("schedule.family must be a string");
        double P(string field, double fallback) => s.TryGetProperty(field, out var v)
            ? v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double x) && double.IsFinite(x) ? x : throw new CaseError($"schedule.{field} must be a finite number")
            : fallback;
        try
        {
            return name switch
            {
                "vp-linear" => Schedules.VpLinear(P("beta_min", 0.1), P("beta_max", 20.0)),
                "vp-cosine" => Schedules.VpCosine(P("offset", 0.008)),
                "sub-vp" => Schedules.SubVp(P("beta_min", 0.1), P("beta_max", 20.0)),
                "ve" => Schedules.Ve(P("sigma_min", 0.01), P("sigma_max", 50.0)),
                "edm" => Schedules.Edm(P("sigma_max", 80.0)),
                "linear-interpolant" => Schedules.LinearInterpolant(),
                "follmer" => Schedules.Follmer(),
                _ => throw new CaseError($"schedule.family '{name}' is unknown; valid: vp-linear, vp-cosine, sub-vp, ve, edm, linear-interpolant, follmer"),
            };
        }
        catch (ArgumentException e) { throw new CaseError($"schedule: {e.Message}"); }
    }

    private static (INoiseSource, string) ReadNoise(JsonElement nz, int n, int d)
    {
        if (nz.ValueKind != JsonValueKind.Object) throw new CaseError("noise must be an object: {\"seed\": N} or {\"blocks\": [[[...n rows of d]], ...]}");
        if (nz.TryGetProperty("seed", out var seed))
        {
            if (seed.ValueKind != JsonValueKind.Number || !seed.TryGetUInt64(out ulong s)) throw new CaseError("noise.seed must be a non-negative integer");
            return (new SeededNoise(s), $"seeded, seed {s}");
        }
        var blocks = Field(nz, "blocks");
        if (blocks.ValueKind != JsonValueKind.Array) throw new CaseError("noise.blocks must be an array of [n, d] blocks");
        var draws = blocks.EnumerateArray().Select((b, i) =>
        {
            var rows = Matrix(b, $"noise.blocks[{i}]", d);
            if (rows.Length != n) throw new CaseError($"noise.blocks[{i}] has {rows.Length} rows, the start batch {n}");
            return rows.SelectMany(r => r).ToArray();
        }).ToList();
        return (new ReplayNoise(draws), $"{draws.Count} explicit blocks");
    }

    private static double[] Vector(JsonElement v, string field)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0) throw new CaseError($"{field} must be a non-empty array of numbers");
        return v.EnumerateArray().Select((e, i) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double x) && double.IsFinite(x) ? x
            : throw new CaseError($"{field}[{i}] must be a finite number, got {e.GetRawText()}")).ToArray();
    }

    private static double[][] Matrix(JsonElement v, string field, int? columns)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0) throw new CaseError($"{field} must be a non-empty array of rows");
        var rows = v.EnumerateArray().Select((r, i) => Vector(r, $"{field}[{i}]")).ToArray();
        int width = columns ?? rows[0].Length;
        for (int i = 0; i < rows.Length; i++)
            if (rows[i].Length != width) throw new CaseError($"{field}[{i}] has {rows[i].Length} numbers, expected d = {width}");
        return rows;
    }
}

/// <summary>A model that records the time of every evaluation (the <c>sample</c> verb's "evaluations").</summary>
internal sealed class RecordingModel(IDiffusionModel inner) : IDiffusionModel
{
    public List<double> Times { get; } = [];
    public int Dimension => inner.Dimension;
    public PredictionKind Kind => inner.Kind;
    public Schedule Schedule => inner.Schedule;

    public void Predict(ReadOnlySpan<double> x, double t, Span<double> output)
    {
        lock (Times) Times.Add(t);
        inner.Predict(x, t, output);
    }
}
