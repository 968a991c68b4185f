namespace Verified.Reports.Subjects;

/// <summary>Parses sampler-name lists as typed on a command line.</summary>
public static class SamplerNames
{
    /// <summary>Splits each value at commas outside parentheses and trims the parts, so
    /// <c>"heun,rk45(rtol=1E-05,atol=1E-05)"</c> gives <c>heun</c> and <c>rk45(rtol=1E-05,atol=1E-05)</c>;
    /// null when <paramref name="values"/> is null or empty.</summary>
    public static IReadOnlyList<string>? Parse(IEnumerable<string>? values)
    {
        if (values is null) return null;
        var names = new List<string>();
        foreach (var value in values)
        {
            int depth = 0, from = 0;
            for (int i = 0; i <= value.Length; i++)
            {
                char c = i < value.Length ? value[i] : ',';
                if (c == '(') depth++;
                else if (c == ')') depth = Math.Max(0, depth - 1);
                else if (c == ',' && (depth == 0 || i == value.Length))
                {
                    string part = value[from..i].Trim();
                    if (part.Length > 0) names.Add(part);
                    from = i + 1;
                }
            }
        }
        return names.Count == 0 ? null : names;
    }
}
