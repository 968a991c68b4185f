using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verified.Reports.Analysis;

/// <summary>A closed set of named values (verdicts, tiers, metrics, drop reasons). Each value prints, and is stored in
/// JSON, as its wire name ("PASS", "monte-carlo", "weak-w2", "round-off"); the layers compare the values themselves.</summary>
/// <typeparam name="T">The kind.</typeparam>
public interface IWireName<T> where T : class, IWireName<T>
{
    /// <summary>The name in report.json, the baseline and every table.</summary>
    string Name { get; }

    /// <summary>Every value of the kind.</summary>
    static abstract IReadOnlyList<T> All { get; }
}

/// <summary>Parsing and JSON for <see cref="IWireName{T}"/> kinds.</summary>
public static class WireNames
{
    /// <summary>The value named <paramref name="name"/>; throws naming the valid names.</summary>
    public static T Parse<T>(string name) where T : class, IWireName<T> =>
        T.All.FirstOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"unknown {typeof(T).Name} '{name}'; valid: {string.Join(", ", T.All.Select(v => v.Name))}", nameof(name));
}

/// <summary>Reads and writes a kind as its wire name; an unknown name is a malformed file.</summary>
/// <typeparam name="T">The kind.</typeparam>
public sealed class WireNameConverter<T> : JsonConverter<T> where T : class, IWireName<T>
{
    /// <inheritdoc/>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"expected a {typeof(T).Name} name (a string), got {reader.TokenType}");
        var name = reader.GetString()!;
        return T.All.FirstOrDefault(v => v.Name == name)
            ?? throw new JsonException($"unknown {typeof(T).Name} '{name}'; valid: {string.Join(", ", T.All.Select(v => v.Name))}");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}

/// <summary>The outcome of judging an order claim (<see cref="OrderClaim"/>).</summary>
[JsonConverter(typeof(WireNameConverter<Verdict>))]
public sealed class Verdict : IWireName<Verdict>
{
    private Verdict(string name) => Name = name;

    /// <summary>The evidence supports "converges at least at the declared order".</summary>
    public static readonly Verdict Pass = new("PASS");
    /// <summary>The ladder is asymptotic and its order is below the declared one beyond the tolerance.</summary>
    public static readonly Verdict Fail = new("FAIL");
    /// <summary>Neither: the reason says what more (steps or samples) would decide.</summary>
    public static readonly Verdict Inconclusive = new("INCONCLUSIVE");

    /// <inheritdoc/>
    public string Name { get; }
    /// <inheritdoc/>
    public static IReadOnlyList<Verdict> All { get; } = [Pass, Fail, Inconclusive];
    /// <inheritdoc/>
    public override string ToString() => Name;
    /// <summary>The wire name.</summary>
    public static implicit operator string(Verdict v) => v.Name;
}

/// <summary>Whether a ladder's errors carry sampling noise.</summary>
[JsonConverter(typeof(WireNameConverter<Tier>))]
public sealed class Tier : IWireName<Tier>
{
    private Tier(string name) => Name = name;

    /// <summary>Deterministic numbers: exact output laws, closed-form flow maps, RK45 references, tolerance ladders.</summary>
    public static readonly Tier Exact = new("exact");
    /// <summary>Monte Carlo estimates with 95% half-widths.</summary>
    public static readonly Tier MonteCarlo = new("monte-carlo");

    /// <inheritdoc/>
    public string Name { get; }
    /// <inheritdoc/>
    public static IReadOnlyList<Tier> All { get; } = [Exact, MonteCarlo];
    /// <inheritdoc/>
    public override string ToString() => Name;
    /// <summary>The wire name.</summary>
    public static implicit operator string(Tier v) => v.Name;
}

/// <summary>What a ladder's error measures (definitions in <c>Metrics.Definitions</c> and docs/REPORTS.md).</summary>
[JsonConverter(typeof(WireNameConverter<Metric>))]
public sealed class Metric : IWireName<Metric>
{
    private Metric(string name, bool isStrong) { Name = name; IsStrong = isStrong; }

    /// <summary>Tier 0 strong error against the closed-form flow map.</summary>
    public static readonly Metric StrongFlowMap = new("strong-flow-map", true);
    /// <summary>Tier 0 W2 of the exact output law.</summary>
    public static readonly Metric WeakW2 = new("weak-w2", false);
    /// <summary>Tier 1 strong error against RK45.</summary>
    public static readonly Metric StrongRk45 = new("strong-rk45", true);
    /// <summary>Tier 1 strong error against a fine Brownian path.</summary>
    public static readonly Metric StrongPath = new("strong-path", true);
    /// <summary>Tier 1 coupled weak error of the second moment, phi(x) = |x|^2 / d.</summary>
    public static readonly Metric WeakMoment = new("weak-moment", false);
    /// <summary>Tier 1 coupled weak error of the smooth squared distance to the nearest mode of the data.</summary>
    public static readonly Metric WeakModeDistance = new("weak-mode-distance", false);
    /// <summary>Adaptive samplers: flow-map error against tolerance.</summary>
    public static readonly Metric StrongFlowMapTolerance = new("strong-flow-map-vs-tol", true);
    /// <summary>Adaptive samplers: RK45 error against tolerance.</summary>
    public static readonly Metric StrongRk45Tolerance = new("strong-rk45-vs-tol", true);

    /// <inheritdoc/>
    public string Name { get; }
    /// <summary>Whether the metric measures pathwise (strong) error; else a law (weak) error.</summary>
    public bool IsStrong { get; }
    /// <inheritdoc/>
    public static IReadOnlyList<Metric> All { get; } = [StrongFlowMap, WeakW2, StrongRk45, StrongPath, WeakMoment, WeakModeDistance, StrongFlowMapTolerance, StrongRk45Tolerance];
    /// <inheritdoc/>
    public override string ToString() => Name;
    /// <summary>The wire name.</summary>
    public static implicit operator string(Metric v) => v.Name;
}

/// <summary>Why a ladder point was left out of the fit.</summary>
[JsonConverter(typeof(WireNameConverter<DropReason>))]
public sealed class DropReason : IWireName<DropReason>
{
    private DropReason(string name, string meaning) { Name = name; Meaning = meaning; }

    /// <summary>Used (stored as null in a ladder point).</summary>
    public static readonly DropReason None = new("none", "used");
    /// <summary>Below the round-off floor: the error no longer measures the discretisation.</summary>
    public static readonly DropReason RoundOff = new("round-off", "below the round-off floor");
    /// <summary>The Monte Carlo CI contains 0: the error is not resolved from sampling noise.</summary>
    public static readonly DropReason Unresolved = new("unresolved", "not resolved from Monte Carlo noise (CI contains 0)");
    /// <summary>Not a positive finite number.</summary>
    public static readonly DropReason NotFinite = new("not-finite", "not a positive finite error");

    /// <inheritdoc/>
    public string Name { get; }
    /// <summary>In words, for reasons.</summary>
    public string Meaning { get; }
    /// <inheritdoc/>
    public static IReadOnlyList<DropReason> All { get; } = [None, RoundOff, Unresolved, NotFinite];
    /// <inheritdoc/>
    public override string ToString() => Name;
    /// <summary>The wire name.</summary>
    public static implicit operator string(DropReason v) => v.Name;
}
