using System.Reflection;
using System.Runtime.Loader;
using Verified.Numerics;
using Verified.Reports.Subjects;

namespace Verified.Reports.Cli;

/// <summary>
/// Loads the samplers a plug-in assembly exposes (<c>--assembly PATH.dll</c>) under the rule of <see cref="ISamplerProvider"/>:
/// public non-abstract <see cref="Sampler"/> subclasses with a public parameterless constructor, plus the samplers of
/// public non-abstract <see cref="ISamplerProvider"/> types with one. The assembly loads in its own context; its own
/// dependencies resolve from its folder (its .deps.json), while every assembly the tool itself carries (Verified.*,
/// FSharp.Core, ...) is shared, so its samplers are the tool's <see cref="Sampler"/> type.
/// </summary>
public static class AssemblySamplers
{
    /// <summary>The subjects of one assembly, origin <c>assembly PATH</c>.</summary>
    /// <exception cref="UserErrorException">the file is missing or not a loadable .NET assembly, a type fails to load or
    /// construct, or the assembly exposes no sampler.</exception>
    public static IReadOnlyList<SamplerSubject> Load(string path)
    {
        var (full, types) = PluginLoadContext.ExportedTypes(path, "--assembly");
        string origin = $"assembly {full}";
        var subjects = new List<SamplerSubject>();
        foreach (var type in types.Where(Constructible).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (typeof(Sampler).IsAssignableFrom(type))
                subjects.Add(Subject(() => (Sampler)Activator.CreateInstance(type)!, $"{origin} (type {type.FullName})"));
            else if (typeof(ISamplerProvider).IsAssignableFrom(type))
                foreach (var name in Names(type, origin))
                    subjects.Add(Subject(() => Provide(type).First(s => s.Info.Name == name), $"{origin} (provider {type.FullName})"));
        }
        if (subjects.Count == 0)
            throw new UserErrorException($"--assembly {path}: no samplers found; the tool measures public non-abstract Sampler subclasses " +
                "with a public parameterless constructor and the samplers of public ISamplerProvider types (docs/YOUR-SAMPLER.md)");
        return SamplerCatalog.Of(subjects).Subjects; // a name declared twice in one assembly is an error too
    }

    private static bool Constructible(Type t) =>
        t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && t.GetConstructor(Type.EmptyTypes) is not null
        && (typeof(Sampler).IsAssignableFrom(t) || typeof(ISamplerProvider).IsAssignableFrom(t));

    private static IEnumerable<Sampler> Provide(Type provider) => ((ISamplerProvider)Activator.CreateInstance(provider)!).Samplers();

    private static List<string> Names(Type provider, string origin)
    {
        try
        {
            return Provide(provider).Select(s => s.Info.Name).ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new UserErrorException($"{origin}: provider {provider.FullName} failed to list its samplers ({Unwrap(e).Message})");
        }
    }

    private static SamplerSubject Subject(Func<Sampler> create, string origin)
    {
        try
        {
            return SamplerSubject.Of(create, origin);
        }
        catch (Exception e) when (e is not SamplerNameClashException and not OutOfMemoryException)
        {
            throw new UserErrorException($"{origin}: could not create the sampler ({Unwrap(e).Message})");
        }
    }

    private static Exception Unwrap(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? inner : e;
}
