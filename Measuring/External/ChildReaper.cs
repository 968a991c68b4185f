using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Verified.Reports.External;

/// <summary>Kills every live sampler process when Verified exits, is interrupted (Ctrl-C, SIGINT) or terminated
/// (SIGTERM, SIGQUIT), so no child outlives a run. Installed on the first child.</summary>
internal static class ChildReaper
{
    private static readonly ConcurrentDictionary<int, Process> live = new();
    private static readonly List<PosixSignalRegistration> registrations = [];
    private static int installed;

    /// <summary>Registers a started child.</summary>
    public static void Track(Process process)
    {
        if (Interlocked.Exchange(ref installed, 1) == 0) Install();
        live[process.Id] = process;
    }

    /// <summary>Unregisters a child that has been reaped.</summary>
    public static void Forget(Process process)
    {
        try { live.TryRemove(process.Id, out _); } catch (InvalidOperationException) { }
    }

    /// <summary>Kills every live child (and its process tree).</summary>
    public static void KillAll()
    {
        foreach (var (_, p) in live)
        {
            try { p.Kill(entireProcessTree: true); p.WaitForExit(1000); } catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
        }
        live.Clear();
    }

    private static void Install()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        // The handlers do not cancel the signal: Verified still stops as it would have, after its children.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
            registrations.Add(PosixSignalRegistration.Create(signal, _ => KillAll()));
    }
}
