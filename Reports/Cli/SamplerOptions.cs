using System.CommandLine;
using Verified.Reports.Experiments;
using Verified.Reports.Subjects;

namespace Verified.Reports.Cli;

/// <summary>The options that choose which samplers a verb measures (report, gate, baseline): --samplers, --assembly,
/// --only-assembly, --tensor, --external.</summary>
public sealed class SamplerOptions
{
    /// <summary>--samplers NAME...: exact names across built-in and loaded samplers.</summary>
    public Option<string[]> Samplers { get; }

    /// <summary>--assembly PATH.dll (repeatable): load the samplers the assembly exposes.</summary>
    public Option<string[]> Assemblies { get; } = new("--assembly")
    {
        Description = "Also measure the samplers this .NET assembly exposes (public Sampler subclasses with a parameterless constructor, ISamplerProvider types). Repeatable.",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>--only-assembly: leave the built-in samplers out.</summary>
    public Option<bool> OnlyAssembly { get; } = new("--only-assembly") { Description = "Measure only the samplers of the --assembly files (and --tensor), not the built-in CPU ones." };

    /// <summary>--tensor DTYPE...: also measure the shipped tensor samplers in these dtypes on the CPU.</summary>
    public Option<string[]> Tensor { get; } = new("--tensor")
    {
        Description = "Also measure Verified's tensor samplers (TorchSharp, CPU device) in these dtypes: float64, float32 (space or comma separated); named tensor-NAME[DTYPE].",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>--external "COMMAND" (repeatable): a sampler process speaking docs/PROTOCOL.md.</summary>
    public Option<string[]> External { get; } = ExternalOption.Create();

    /// <summary>Builds the options; <paramref name="samplersDescription"/> describes --samplers for this verb.</summary>
    public SamplerOptions(string samplersDescription) => Samplers = ReportCommand.ListOption("--samplers", samplersDescription);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Samplers);
        AddSourcesTo(command);
    }

    /// <summary>Adds the options that say where samplers come from (all but --samplers) to <paramref name="command"/>:
    /// for a verb that names its one sampler otherwise (sample --sampler).</summary>
    public void AddSourcesTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Assemblies);
        command.Options.Add(OnlyAssembly);
        command.Options.Add(Tensor);
        command.Options.Add(External);
    }

    /// <summary>The request for <paramref name="preset"/>: the catalog (built-ins and/or loaded samplers) and the name filter.</summary>
    /// <exception cref="UserErrorException">an assembly cannot be loaded or exposes no sampler, a name clashes, a name is
    /// unknown, or --only-assembly was given without --assembly.</exception>
    public RunRequest Request(ParseResult parse, Preset preset, IReadOnlyList<string>? problems = null) => Request(parse, preset, problems, null);

    /// <summary>Starts the --external processes of this invocation (dispose after the verb to reap them).</summary>
    internal ExternalSession StartExternal(ParseResult parse) => ExternalOption.Start(parse.GetValue(External));

    /// <summary>As <see cref="Request(ParseResult, Preset, IReadOnlyList{string}?)"/>, with the samplers of
    /// <paramref name="externals"/> added to the catalog.</summary>
    internal RunRequest Request(ParseResult parse, Preset preset, IReadOnlyList<string>? problems, ExternalSession? externals)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var (catalog, custom) = Catalog(parse, externals);
        var request = new RunRequest(preset, ReportCommand.Split(parse.GetValue(Samplers)), problems, custom ? catalog : null);
        if (ReportRunner.Validate(request) is string problem) throw new UserErrorException(problem);
        return request;
    }

    /// <summary>The catalog these options name: the built-ins (unless --only-assembly), then each --assembly, the
    /// --tensor subjects and the samplers of <paramref name="externals"/>; <c>Custom</c> when anything was added.</summary>
    /// <exception cref="UserErrorException">an assembly cannot be loaded or exposes no sampler, a name clashes, or
    /// --only-assembly was given without a source.</exception>
    internal (SamplerCatalog Catalog, bool Custom) Catalog(ParseResult parse, ExternalSession? externals)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var paths = parse.GetValue(Assemblies) ?? [];
        bool only = parse.GetValue(OnlyAssembly);
        var dtypes = ReportCommand.Split(parse.GetValue(Tensor)) ?? [];
        bool external = externals is { IsEmpty: false };
        if (only && paths.Length == 0 && dtypes.Count == 0 && !external) throw new UserErrorException("--only-assembly needs at least one --assembly PATH.dll (or --tensor DTYPE, or --external COMMAND)");
        var catalog = only ? SamplerCatalog.Empty : SamplerCatalog.BuiltIn;
        try
        {
            foreach (var path in paths) catalog = catalog.With(AssemblySamplers.Load(path));
            catalog = catalog.With(TensorSubjects.For(dtypes));
        }
        catch (SamplerNameClashException e)
        {
            throw new UserErrorException(e.Message);
        }
        if (external) catalog = externals!.Extend(catalog);
        return (catalog, paths.Length > 0 || dtypes.Count > 0 || external);
    }
}
