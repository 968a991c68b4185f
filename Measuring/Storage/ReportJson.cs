using System.Text.Json;
using System.Text.Json.Serialization;
using Verified.Reports.Model;

namespace Verified.Reports.Storage;

/// <summary>A report or baseline file that cannot be used: missing, unreadable, truncated, malformed, or of
/// another schema. The message says which file and what is wrong.</summary>
public sealed class InputFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Reads and writes <see cref="ReportDocument"/> as JSON (camelCase; nulls and missing required
/// fields are refused on reading, so a hand-edited or truncated file fails with a clear message).</summary>
public static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The JSON text of a document.</summary>
    public static string Serialize(ReportDocument document) => JsonSerializer.Serialize(document, Options);

    /// <summary>Parses a document; <paramref name="source"/> names the file in error messages.</summary>
    /// <exception cref="InputFileException">malformed JSON, missing or null fields, or another schema version.</exception>
    public static ReportDocument Deserialize(string json, string source)
    {
        ReportDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ReportDocument>(json, Options);
        }
        catch (JsonException e)
        {
            // Our words, not System.Text.Json's: where it broke and what to do.
            throw new InputFileException($"{source} is not a valid report file: it is empty, truncated, not JSON, or has a missing or mistyped field{JsonErrors.Where(e)}; regenerate it with the report verb", e);
        }
        if (document is null) throw new InputFileException($"{source} holds JSON null instead of a report");
        if (document.Schema != ReportDocument.CurrentSchema)
            throw new InputFileException($"{source} has schema '{document.Schema}', this program reads '{ReportDocument.CurrentSchema}'; regenerate it with the baseline verb");
        foreach (var s in document.Series)
            foreach (var p in s.Points)
                if (p.N < 1) throw new InputFileException($"{source}: series '{s.Key}' has a point with N = {p.N}; N must be >= 1");
        return document;
    }

    /// <summary>Reads a document from a file.</summary>
    /// <exception cref="InputFileException">the file is missing or unreadable, or its content is invalid.</exception>
    public static ReportDocument Load(string path)
    {
        string text;
        try
        {
            if (Directory.Exists(path)) throw new InputFileException($"{path} is a directory, not a report file; pass the report.json a report run wrote");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"cannot read {path}: {e.Message}", e);
        }
        return Deserialize(text, path);
    }

    /// <summary>Writes <paramref name="document"/> to <paramref name="path"/> through <see cref="AtomicFile"/> (a reader
    /// never sees a half-written file).</summary>
    public static void SaveAtomically(ReportDocument document, string path) => AtomicFile.WriteText(path, Serialize(document));
}
