namespace Verified.Reports.External;

/// <summary>An external sampler process misbehaved (crashed, stalled, printed non-JSON, sent a wrong shape or a
/// non-finite value, exited early) or refused a request. The message names the sampler, the request and the child's
/// stderr log; the CLI prints it and exits 2.</summary>
public sealed class ExternalSamplerException : Exception
{
    /// <summary>An error with its full message.</summary>
    public ExternalSamplerException(string message) : base(message) { }

    /// <summary>An error with its full message and cause.</summary>
    public ExternalSamplerException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A protocol-level fault found while reading one message: its reason, without context (the caller adds
/// the sampler, the request and the log path).</summary>
internal sealed class ProtocolFault(string reason) : Exception(reason);
