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
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new UserErrorException($"--assembly {path}: no such file");
        string origin = $"assembly {full}";
        Assembly assembly;
        try
        {
            assembly = new PluginContext(full).LoadFromAssemblyPath(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new UserErrorException($"--assembly {path}: not a loadable .NET assembly ({e.Message})");
        }
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            var inner = e is ReflectionTypeLoadException r ? string.Join("; ", r.LoaderExceptions.Select(x => x?.Message).Distinct()) : e.Message;
            throw new UserErrorException($"--assembly {path}: its types could not be loaded ({inner}); are its dependencies next to it (build output folder)?");
        }
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

    /// <summary>Shares every assembly the tool itself carries; resolves the rest from the plug-in's folder.</summary>
    private sealed class PluginContext(string path) : AssemblyLoadContext($"plugin {Path.GetFileName(path)}")
    {
        private static readonly HashSet<string> HostAssemblies =
            ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

        private readonly AssemblyDependencyResolver resolver = new(path);

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name is string simple && HostAssemblies.Contains(simple)) return null; // the tool's copy
            return resolver.ResolveAssemblyToPath(name) is string file ? LoadFromAssemblyPath(file) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is string file ? LoadUnmanagedDllFromPath(file) : IntPtr.Zero;
    }
}
