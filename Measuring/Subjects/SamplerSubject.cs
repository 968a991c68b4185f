using Verified.Numerics;

namespace Verified.Reports.Subjects;

/// <summary>
/// One sampler the report measures: its name (the <see cref="SamplerInfo.Name"/> its instances declare), a factory that
/// gives a fresh instance per measuring job (jobs run in parallel, so nothing is shared between threads), and where it
/// came from (printed in errors, e.g. when two subjects carry the same name).
/// </summary>
/// <param name="Name">The sampler's declared name, exactly as <see cref="SamplerInfo.Name"/> (may contain commas and
/// parentheses, e.g. <c>rk45(rtol=1E-05,atol=1E-05)</c>).</param>
/// <param name="Create">Returns a new instance whose <see cref="Sampler.Info"/> has <paramref name="Name"/>.</param>
/// <param name="Origin">Where the sampler comes from: <see cref="BuiltInOrigin"/>, <c>assembly PATH</c>, <c>external COMMAND</c>, ...</param>
public sealed record SamplerSubject(string Name, Func<Sampler> Create, string Origin)
{
    /// <summary>The origin of the samplers Verified ships (<see cref="SamplerRegistry"/>).</summary>
    public const string BuiltInOrigin = "built-in";

    /// <summary>A subject whose name is read from one instance made by <paramref name="create"/>.</summary>
    /// <exception cref="ArgumentException">the factory returned null or a sampler with an empty name.</exception>
    public static SamplerSubject Of(Func<Sampler> create, string origin)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        var probe = create() ?? throw new ArgumentException($"the sampler factory from {origin} returned null", nameof(create));
        string name = probe.Info?.Name ?? "";
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"sampler {probe.GetType().FullName} from {origin} declares an empty name (SamplerInfo.Name)", nameof(create));
        return new SamplerSubject(name, create, origin);
    }

    /// <summary>A subject for one existing instance, handed to every job. Use it for samplers that keep no state
    /// between <see cref="Sampler.Sample"/> calls (the contract of <see cref="Sampler"/>: per-run state lives in
    /// <see cref="SamplingRun"/>), since jobs of the same sampler may run on several threads at once.</summary>
    public static SamplerSubject Of(Sampler sampler, string origin)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        return Of(() => sampler, origin);
    }

    /// <summary>A fresh instance, checked to carry this subject's name.</summary>
    /// <exception cref="InvalidOperationException">the factory returned null or a sampler with another name.</exception>
    public Sampler Instance()
    {
        var sampler = Create() ?? throw new InvalidOperationException($"the sampler factory for '{Name}' ({Origin}) returned null");
        if (sampler.Info.Name != Name)
            throw new InvalidOperationException($"the sampler factory for '{Name}' ({Origin}) returned a sampler named '{sampler.Info.Name}'");
        return sampler;
    }
}
