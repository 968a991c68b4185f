namespace Verified.Reports.Cli;

/// <summary>Splits list options into names. Registered sampler names may contain commas inside parentheses
/// (<c>rk45(rtol=1E-05,atol=1E-05)</c>, <c>pc(snr=0.16,m=1)</c>), so only commas outside parentheses separate.</summary>
public static class NameList
{
    /// <summary>"a,b(c,d) e" becomes [a, b(c,d), e]: splits on whitespace-separated values and on top-level commas.</summary>
    public static List<string> Split(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var names = new List<string>();
        foreach (var value in values)
        {
            int depth = 0, start = 0;
            for (int i = 0; i <= value.Length; i++)
            {
                char c = i < value.Length ? value[i] : ',';
                if (c == '(') depth++;
                else if (c == ')') depth = Math.Max(0, depth - 1);
                else if (c == ',' && depth == 0)
                {
                    var name = value[start..i].Trim();
                    if (name.Length > 0) names.Add(name);
                    start = i + 1;
                }
            }
        }
        return names;
    }
}
