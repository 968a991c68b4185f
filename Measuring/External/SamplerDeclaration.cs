using System.Text.Json;
using Verified.Numerics;

namespace Verified.Reports.External;

/// <summary>Reads one entry of a <c>samplers</c> message into a <see cref="SamplerInfo"/> (docs/PROTOCOL.md, "describe").</summary>
internal static class SamplerDeclaration
{
    public static SamplerInfo Read(JsonElement e, int index)
    {
        string where = $"samplers[{index}]";
        if (e.ValueKind != JsonValueKind.Object) throw new ProtocolFault($"{where} must be an object");
        string name = Text(e, "name", where);
        if (string.IsNullOrWhiteSpace(name)) throw new ProtocolFault($"{where}.name must not be empty");
        where = $"samplers[{index}] ('{name}')";
        string equation = e.TryGetProperty("equation", out _) ? Text(e, "equation", where) : "";
        bool stochastic = Flag(e, "stochastic", where, null);
        double? strong = Order(e, "strong_order", where);
        double? weak = Order(e, "weak_order", where);
        double? nfe = Order(e, "evaluations_per_step", where);
        if (nfe is null) throw new ProtocolFault($"{where}.evaluations_per_step must be a positive number: adaptive external samplers are not supported by protocol 1");
        string requires = e.TryGetProperty("requires", out _) ? Text(e, "requires", where) : "any";
        var requirement = requires switch
        {
            "any" => ScheduleRequirement.Any,
            "variance-preserving" => ScheduleRequirement.VariancePreserving,
            "follmer" => ScheduleRequirement.Follmer,
            _ => throw new ProtocolFault($"{where}.requires must be \"any\", \"variance-preserving\" or \"follmer\", got \"{requires}\""),
        };
        bool affine = Flag(e, "affine", where, true);
        return new SamplerInfo(name, equation, stochastic, strong, weak, nfe, requirement, affine);
    }

    private static string Text(JsonElement e, string name, string where) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
        : throw new ProtocolFault($"{where}.{name} must be a string");

    private static bool Flag(JsonElement e, string name, string where, bool? fallback)
    {
        if (!e.TryGetProperty(name, out var v))
            return fallback ?? throw new ProtocolFault($"{where} has no member '{name}' (true or false)");
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ProtocolFault($"{where}.{name} must be true or false, got {v.GetRawText()}"),
        };
    }

    private static double? Order(JsonElement e, string name, string where)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d) || d <= 0)
            throw new ProtocolFault($"{where}.{name} must be a positive number or null, got {v.GetRawText()}");
        return d;
    }
}
