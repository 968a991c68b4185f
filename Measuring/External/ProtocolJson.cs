using System.Buffers;
using System.Text.Json;

namespace Verified.Reports.External;

/// <summary>Reading and writing the protocol's JSON lines (docs/PROTOCOL.md). Numbers are written in the shortest form
/// that parses back to the same double (System.Text.Json's default), so float64 values round-trip exactly; JSON has no
/// NaN or Infinity, so a non-finite value can neither be written nor read.</summary>
internal static class ProtocolJson
{
    /// <summary>The protocol version both sides must name.</summary>
    public const string Version = "verified-protocol 1";

    /// <summary>Serialises one message (no newline) with <paramref name="write"/> filling the object's members.</summary>
    public static byte[] Message(string type, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            write(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a numeric array member; refuses non-finite values.</summary>
    public static void Numbers(Utf8JsonWriter w, string name, ReadOnlySpan<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) throw new ProtocolFault($"Verified would have to send a non-finite value ({v}) in '{name}'");
            w.WriteNumberValue(v);
        }
        w.WriteEndArray();
    }

    /// <summary>Writes a numeric array member where non-finite values become null (e.g. lambda where sigma = 0).</summary>
    public static void NumbersOrNull(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
        w.WriteEndArray();
    }

    /// <summary>Parses one line into an object with a string "type".</summary>
    public static (string Type, JsonElement Body) Parse(string line)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e)
        {
            throw new ProtocolFault($"the line is not JSON ({e.Message}; NaN and Infinity are not JSON, non-finite values are refused): {Excerpt(line)}");
        }
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new ProtocolFault($"the line is not a JSON object: {Excerpt(line)}");
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            throw new ProtocolFault($"the message has no string member 'type': {Excerpt(line)}");
        return (type.GetString()!, root);
    }

    /// <summary>A required member.</summary>
    public static JsonElement Member(JsonElement o, string name, string message) =>
        o.TryGetProperty(name, out var v) ? v : throw new ProtocolFault($"the '{message}' message has no member '{name}'");

    /// <summary>A required finite number.</summary>
    public static double Number(JsonElement o, string name, string message)
    {
        var v = Member(o, name, message);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
            throw new ProtocolFault($"'{message}'.{name} must be a finite number, got {Excerpt(v.GetRawText())}");
        return d;
    }

    /// <summary>A required string.</summary>
    public static string Text(JsonElement o, string name, string message)
    {
        var v = Member(o, name, message);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ProtocolFault($"'{message}'.{name} must be a string, got {Excerpt(v.GetRawText())}");
    }

    /// <summary>A required array of exactly into.Length finite numbers, copied into <paramref name="into"/>.</summary>
    public static void Numbers(JsonElement o, string name, string message, Span<double> into)
    {
        var v = Member(o, name, message);
        if (v.ValueKind != JsonValueKind.Array) throw new ProtocolFault($"'{message}'.{name} must be an array of numbers");
        int count = v.GetArrayLength();
        if (count != into.Length) throw new ProtocolFault($"'{message}'.{name} has {count} numbers, expected {into.Length} (n * d, row-major)");
        int i = 0;
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double d) || !double.IsFinite(d))
                throw new ProtocolFault($"'{message}'.{name}[{i}] must be a finite number, got {Excerpt(e.GetRawText())}");
            into[i++] = d;
        }
    }

    /// <summary>A required array of finite numbers of any length (at least one).</summary>
    public static double[] AnyNumbers(JsonElement o, string name, string message)
    {
        var v = Member(o, name, message);
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
            throw new ProtocolFault($"'{message}'.{name} must be a non-empty array of numbers");
        var values = new double[v.GetArrayLength()];
        Numbers(o, name, message, values);
        return values;
    }

    /// <summary>The start of a long text, for error messages.</summary>
    public static string Excerpt(string text) => text.Length <= 120 ? text : text[..120] + "...";
}
