using System.Text.Json;
using Verified.Numerics;

namespace Verified.Reports.External;

/// <summary>How Verified runs external sampler processes.</summary>
/// <param name="Timeout">How long Verified waits for any one line from a child before declaring it stalled.</param>
/// <param name="LogDirectory">Where each child's stderr log is created (one new file per child).</param>
public sealed record ExternalOptions(TimeSpan Timeout, string LogDirectory)
{
    /// <summary>The limit for a new child's answer to <c>describe</c>, which includes the interpreter's start-up:
    /// at least 60 s, so that a loaded machine does not turn a slow start into a stall.</summary>
    public TimeSpan StartupTimeout => Timeout > TimeSpan.FromSeconds(60) ? Timeout : TimeSpan.FromSeconds(60);

    /// <summary>60 s (or VERIFIED_EXTERNAL_TIMEOUT seconds), logs under the system's temporary directory
    /// (or VERIFIED_EXTERNAL_LOGS).</summary>
    public static ExternalOptions FromEnvironment()
    {
        var timeout = TimeSpan.FromSeconds(60);
        if (Environment.GetEnvironmentVariable("VERIFIED_EXTERNAL_TIMEOUT") is { Length: > 0 } t)
        {
            if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double s) || !(s > 0) || !double.IsFinite(s))
                throw new ArgumentException($"VERIFIED_EXTERNAL_TIMEOUT must be a positive number of seconds, got '{t}'");
            timeout = TimeSpan.FromSeconds(s);
        }
        string logs = Environment.GetEnvironmentVariable("VERIFIED_EXTERNAL_LOGS") is { Length: > 0 } l
            ? l : Path.Combine(Path.GetTempPath(), "verified-external");
        return new ExternalOptions(timeout, logs);
    }
}

/// <summary>
/// One <c>--external COMMAND</c>: the samplers its process declares (one <c>describe</c> exchange at start) and a pool of
/// running children of that command. A child serves one sampling run at a time, so each run takes an idle child or
/// starts a new one (report jobs run in parallel); a child that misbehaved is killed, never reused.
/// Dispose kills them all.
/// </summary>
public sealed class ExternalProcess : IDisposable
{
    private readonly Stack<ExternalChild> idle = new();
    private readonly List<ExternalChild> all = [];
    private readonly ExternalOptions options;
    private bool disposed;

    private ExternalProcess(string command, ExternalOptions options)
    {
        Command = command;
        this.options = options;
    }

    /// <summary>The command line as given.</summary>
    public string Command { get; }

    /// <summary>What the process declared, in its order.</summary>
    public IReadOnlyList<SamplerInfo> Declared { get; private set; } = [];

    /// <summary>Starts <paramref name="command"/>, asks it to describe its samplers and keeps the child for the first run.</summary>
    /// <exception cref="ExternalSamplerException">the child failed to start, answered badly or declared nothing.</exception>
    public static ExternalProcess Start(string command, ExternalOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var process = new ExternalProcess(command, options ?? ExternalOptions.FromEnvironment());
        try
        {
            var child = process.Spawn();
            process.Declared = process.Describe(child);
            process.Release(child);
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>One sampler object per declared sampler; each may be used from several threads at once.</summary>
    public IReadOnlyList<Sampler> Samplers() => Declared.Select(i => (Sampler)new ExternalSampler(this, i)).ToList();

    internal ExternalChild Acquire()
    {
        lock (all)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (idle.TryPop(out var child)) return child;
        }
        var fresh = Spawn();
        try
        {
            var again = Describe(fresh);
            if (!again.SequenceEqual(Declared))
                throw new ExternalSamplerException($"external command \"{Command}\": a second copy of the process described other samplers than the first (the declaration must not change between runs); its stderr: {fresh.LogPath}");
            return fresh;
        }
        catch
        {
            Kill(fresh);
            throw;
        }
    }

    internal void Release(ExternalChild child)
    {
        lock (all)
        {
            if (disposed) { child.Dispose(); return; }
            idle.Push(child);
        }
    }

    internal void Kill(ExternalChild child)
    {
        lock (all) all.Remove(child);
        child.Dispose();
    }

    private ExternalChild Spawn()
    {
        ExternalChild child;
        try { child = ExternalChild.Start(Command, options.LogDirectory, options.Timeout); }
        catch (ProtocolFault f) { throw new ExternalSamplerException($"external command \"{Command}\": {f.Message}"); }
        lock (all) all.Add(child);
        return child;
    }

    private List<SamplerInfo> Describe(ExternalChild child)
    {
        try
        {
            child.Send(ProtocolJson.Message("describe", w => w.WriteString("protocol", ProtocolJson.Version)));
            var (type, body) = ProtocolJson.Parse(child.Receive(options.StartupTimeout));
            if (type == "error") throw new ProtocolFault($"it answered with an error: {ClientReason(body)}");
            if (type != "samplers") throw new ProtocolFault($"expected a 'samplers' message, got '{type}'");
            string version = ProtocolJson.Text(body, "protocol", "samplers");
            if (version != ProtocolJson.Version) throw new ProtocolFault($"it speaks '{version}', Verified speaks '{ProtocolJson.Version}'");
            var list = ProtocolJson.Member(body, "samplers", "samplers");
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                throw new ProtocolFault("'samplers'.samplers must be a non-empty array");
            var infos = list.EnumerateArray().Select((e, i) => SamplerDeclaration.Read(e, i)).ToList();
            var clash = infos.GroupBy(i => i.Name).FirstOrDefault(g => g.Count() > 1);
            if (clash is not null) throw new ProtocolFault($"it declares the name '{clash.Key}' twice");
            return infos;
        }
        catch (ProtocolFault f)
        {
            Kill(child);
            throw new ExternalSamplerException($"external command \"{Command}\", request 'describe': {f.Message}; its stderr: {child.LogPath}");
        }
    }

    internal static string ClientReason(JsonElement body) =>
        body.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "(no reason given)";

    /// <summary>Kills every child of this command and waits for each.</summary>
    public void Dispose()
    {
        List<ExternalChild> children;
        lock (all)
        {
            if (disposed) return;
            disposed = true;
            children = [.. all];
            all.Clear();
            idle.Clear();
        }
        foreach (var c in children) c.Dispose();
    }
}
