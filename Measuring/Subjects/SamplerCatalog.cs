using Verified.Numerics;

namespace Verified.Reports.Subjects;

/// <summary>A sampler name is declared twice (by two subjects, or twice by one source).</summary>
/// <param name="name">The clashing name.</param>
/// <param name="firstOrigin">Where the first sampler with that name came from.</param>
/// <param name="secondOrigin">Where the second one came from.</param>
public sealed class SamplerNameClashException(string name, string firstOrigin, string secondOrigin)
    : ArgumentException($"two samplers are named '{name}': one from {firstOrigin}, one from {secondOrigin}; names must be unique (rename one in its SamplerInfo)")
{
    /// <summary>The clashing name.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// The samplers a run may measure: the built-in ones and any the user hands in (their own types, a plug-in assembly,
/// an external process). Names are unique across the catalog; selection is by exact name.
/// </summary>
public sealed class SamplerCatalog
{
    private readonly List<SamplerSubject> subjects;

    private SamplerCatalog(List<SamplerSubject> subjects) => this.subjects = subjects;

    /// <summary>An empty catalog.</summary>
    public static SamplerCatalog Empty { get; } = new([]);

    /// <summary>The samplers Verified ships (<see cref="SamplerRegistry.All"/>), origin <see cref="SamplerSubject.BuiltInOrigin"/>;
    /// each job gets its own instance.</summary>
    public static SamplerCatalog BuiltIn { get; } = Empty.With(SamplerRegistry.All().Select(s =>
        new SamplerSubject(s.Info.Name, () => SamplerRegistry.ByName(s.Info.Name), SamplerSubject.BuiltInOrigin)));

    /// <summary>A catalog of exactly these subjects.</summary>
    /// <exception cref="SamplerNameClashException">two subjects share a name.</exception>
    public static SamplerCatalog Of(IEnumerable<SamplerSubject> subjects) => Empty.With(subjects);

    /// <summary>A catalog of these sampler instances (see <see cref="SamplerSubject.Of(Sampler, string)"/>).</summary>
    /// <exception cref="SamplerNameClashException">two samplers share a name.</exception>
    public static SamplerCatalog Of(IEnumerable<Sampler> samplers, string origin = "user code")
    {
        ArgumentNullException.ThrowIfNull(samplers);
        return Of(samplers.Select(s => SamplerSubject.Of(s, origin)));
    }

    /// <summary>The subjects, in the order they were added.</summary>
    public IReadOnlyList<SamplerSubject> Subjects => subjects;

    /// <summary>All names, in order.</summary>
    public IReadOnlyList<string> Names => subjects.Select(s => s.Name).ToList();

    /// <summary>This catalog followed by <paramref name="more"/>.</summary>
    /// <exception cref="SamplerNameClashException">a name of <paramref name="more"/> is already taken (the message names both origins).</exception>
    public SamplerCatalog With(IEnumerable<SamplerSubject> more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var merged = new List<SamplerSubject>(subjects);
        foreach (var s in more)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(more));
            if (merged.FirstOrDefault(m => m.Name == s.Name) is { } taken)
                throw new SamplerNameClashException(s.Name, taken.Origin, s.Origin);
            merged.Add(s);
        }
        return new SamplerCatalog(merged);
    }

    /// <summary>The subject with exactly this name, or null.</summary>
    public SamplerSubject? Find(string name) => subjects.FirstOrDefault(s => s.Name == name);

    /// <summary>An error message for the first name not in the catalog (listing the valid names), or null when all are known.</summary>
    public string? Unknown(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var n in names)
            if (Find(n) is null) return $"unknown sampler '{n}'; valid names: {string.Join(", ", Names)}";
        return null;
    }

    /// <summary>The subjects with these exact names, in catalog order; null selects all.</summary>
    /// <exception cref="ArgumentException">a name is not in the catalog.</exception>
    public SamplerCatalog Only(IReadOnlyCollection<string>? names)
    {
        if (names is null) return this;
        if (Unknown(names) is string error) throw new ArgumentException(error, nameof(names));
        return new SamplerCatalog(subjects.Where(s => names.Contains(s.Name)).ToList());
    }
}
