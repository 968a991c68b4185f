using System.CommandLine;
using Verified.Reports.External;
using Verified.Reports.Subjects;

namespace Verified.Reports.Cli;

/// <summary>The repeatable <c>--external "COMMAND"</c> option of report, gate, baseline and sample: each command is a
/// sampler process speaking docs/PROTOCOL.md; its samplers join the catalog beside the built-in ones.</summary>
internal static class ExternalOption
{
    /// <summary>The option (one command per occurrence; repeat it for several processes).</summary>
    public static Option<string[]> Create() => new("--external")
    {
        Description = "A sampler process to measure, as a shell command speaking docs/PROTOCOL.md (repeatable). Its samplers join the built-in ones; select them with --samplers.",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>Starts each command (one describe exchange each); dispose to kill every child.</summary>
    public static ExternalSession Start(string[]? commands) => new(commands ?? []);
}

/// <summary>The external processes of one verb invocation.</summary>
internal sealed class ExternalSession : IDisposable
{
    private readonly List<ExternalProcess> processes = [];

    public ExternalSession(IReadOnlyList<string> commands)
    {
        try
        {
            var options = ExternalOptions.FromEnvironment();
            foreach (var c in commands)
            {
                if (string.IsNullOrWhiteSpace(c)) throw new UserErrorException("--external needs a command, got an empty string");
                processes.Add(ExternalProcess.Start(c, options));
            }
        }
        catch (ArgumentException e)
        {
            Dispose();
            throw new UserErrorException(e.Message);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Whether no --external command was given.</summary>
    public bool IsEmpty => processes.Count == 0;

    /// <summary>The sampler objects of every process, in command order.</summary>
    public IReadOnlyList<(Numerics.Sampler Sampler, string Origin)> Samplers =>
        processes.SelectMany(p => p.Samplers().Select(s => (s, $"external \"{p.Command}\""))).ToList();

    /// <summary><paramref name="catalog"/> (default: the built-in samplers) followed by the external ones; a name clash
    /// is a user error naming both origins.</summary>
    public SamplerCatalog Extend(SamplerCatalog? catalog = null)
    {
        catalog ??= SamplerCatalog.BuiltIn;
        try
        {
            // ExternalSampler is thread-safe (each run takes its own child), so one instance serves every job.
            return catalog.With(Samplers.Select(s => SamplerSubject.Of(s.Sampler, s.Origin)));
        }
        catch (SamplerNameClashException e)
        {
            throw new UserErrorException(e.Message);
        }
    }

    public void Dispose()
    {
        foreach (var p in processes) p.Dispose();
        processes.Clear();
    }
}
