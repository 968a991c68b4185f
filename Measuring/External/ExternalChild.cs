using System.Diagnostics;
using System.Text;

namespace Verified.Reports.External;

/// <summary>
/// One running sampler process: started through <c>/bin/sh -c COMMAND</c>, spoken to one JSON line at a time over
/// stdin/stdout, its stderr appended to a log file. Serves one request at a time (the pool hands it to one run).
/// Every child is registered with <see cref="ChildReaper"/> so that it is killed when Verified exits or is interrupted.
/// </summary>
internal sealed class ExternalChild : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Stream input;
    private readonly TimeSpan timeout;
    private bool disposed;

    private ExternalChild(Process process, StreamWriter log, string logPath, TimeSpan timeout)
    {
        this.process = process;
        this.log = log;
        LogPath = logPath;
        this.timeout = timeout;
        input = process.StandardInput.BaseStream;
    }

    /// <summary>Where the child's stderr goes.</summary>
    public string LogPath { get; }

    /// <summary>Starts <paramref name="command"/>; its stderr goes to a new file in <paramref name="logDirectory"/>.</summary>
    public static ExternalChild Start(string command, string logDirectory, TimeSpan timeout)
    {
        Directory.CreateDirectory(logDirectory);
        string logPath = Path.Combine(logDirectory, $"external-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}.stderr.log");
        var log = new StreamWriter(new FileStream(logPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { AutoFlush = true };
        log.WriteLine($"# stderr of: {command}");
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) { try { log.WriteLine(e.Data); } catch (ObjectDisposedException) { } } };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            log.Dispose();
            throw new ProtocolFault($"could not start /bin/sh -c \"{command}\": {e.Message}");
        }
        ChildReaper.Track(process);
        process.BeginErrorReadLine();
        return new ExternalChild(process, log, logPath, timeout);
    }

    /// <summary>Sends one message (a newline is appended).</summary>
    public void Send(byte[] message)
    {
        try
        {
            input.Write(message);
            input.WriteByte((byte)'\n');
            input.Flush();
        }
        catch (IOException)
        {
            throw new ProtocolFault(Exited("while Verified was writing to it"));
        }
    }

    /// <summary>Reads the next line; a fault when the child closes its stdout, exits or stays silent past the timeout.</summary>
    public string Receive(TimeSpan? limit = null)
    {
        var wait = limit ?? timeout;
        var read = process.StandardOutput.ReadLineAsync();
        if (!read.Wait(wait))
            throw new ProtocolFault($"no answer within {wait.TotalSeconds:0.###} s (stalled; the limit is set by VERIFIED_EXTERNAL_TIMEOUT, in seconds)");
        string? line;
        try { line = read.Result; }
        catch (AggregateException e) { throw new ProtocolFault($"reading its stdout failed: {e.InnerException?.Message}"); }
        return line ?? throw new ProtocolFault(Exited("before answering"));
    }

    private string Exited(string when)
    {
        // The child closed its pipe: give it a moment to finish exiting so that its exit code can be named.
        if (process.WaitForExit(2000)) return $"the process exited {when} (exit code {process.ExitCode})";
        return $"the process closed its stdout {when}";
    }

    /// <summary>Kills the child (and anything it started) and waits for it: the child is always reaped.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        try { input.Dispose(); } catch (IOException) { }
        try
        {
            if (!process.WaitForExit(200)) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException) { }
        ChildReaper.Forget(process);
        process.Dispose();
        lock (log) log.Dispose();
    }
}
