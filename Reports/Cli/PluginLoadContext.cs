using System.Reflection;
using System.Runtime.Loader;

namespace Verified.Reports.Cli;

/// <summary>Shares every assembly the tool itself carries; resolves the rest from the plug-in's folder.</summary>
internal sealed class PluginLoadContext(string path) : AssemblyLoadContext($"plugin {Path.GetFileName(path)}")
{
    private static readonly HashSet<string> HostAssemblies =
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

    private readonly AssemblyDependencyResolver resolver = new(path);

    /// <summary>Loads the assembly at <paramref name="path"/> in its own context and returns its full path and exported types.</summary>
    /// <exception cref="UserErrorException">the file is missing, not a loadable .NET assembly, or its types fail to load;
    /// the message starts with <paramref name="option"/> and the path.</exception>
    public static (string FullPath, Type[] Types) ExportedTypes(string path, string option)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new UserErrorException($"{option} {path}: no such file");
        Assembly assembly;
        try
        {
            assembly = new PluginLoadContext(full).LoadFromAssemblyPath(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new UserErrorException($"{option} {path}: not a loadable .NET assembly ({e.Message})");
        }
        try
        {
            return (full, assembly.GetExportedTypes());
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            var inner = e is ReflectionTypeLoadException r ? string.Join("; ", r.LoaderExceptions.Select(x => x?.Message).Distinct()) : e.Message;
            throw new UserErrorException($"{option} {path}: its types could not be loaded ({inner}); are its dependencies next to it (build output folder)?");
        }
    }

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is string simple && HostAssemblies.Contains(simple)) return null; // the tool's copy
        return resolver.ResolveAssemblyToPath(name) is string file ? LoadFromAssemblyPath(file) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is string file ? LoadUnmanagedDllFromPath(file) : IntPtr.Zero;
}
