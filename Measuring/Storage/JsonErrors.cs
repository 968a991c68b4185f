using System.Text.Json;

namespace Verified.Reports.Storage;

/// <summary>Where a JSON file broke, in our words rather than the parser's (one home for the report and baseline readers).</summary>
internal static class JsonErrors
{
    /// <summary>" near line L (at $.path)", or less when the parser did not say.</summary>
    public static string Where(JsonException e)
    {
        string where = e.LineNumber is long line ? $" near line {line + 1}" : "";
        string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" (at {e.Path})";
        return where + field;
    }
}
