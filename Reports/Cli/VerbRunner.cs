using Verified.Reports.Storage;

namespace Verified.Reports.Cli;

/// <summary>The one runner of every verb body: turns every failure into one readable line and an exit code. User and
/// input errors (the exception types below; option checks throw <see cref="UserErrorException"/>) exit 2; anything
/// unexpected, including an ArgumentException from inside the work, exits 3 (set VERIFIED_TRACE=1 to see the stack trace).</summary>
public static class VerbRunner
{
    /// <summary>Runs <paramref name="body"/>; returns its exit code or the code of its failure.</summary>
    public static int Run(Func<int> body, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        error ??= Console.Error;
        try
        {
            return body();
        }
        catch (Exception e) when (UserFacing(e) is { } user)
        {
            error.WriteLine($"error: {user.Message}");
            return ExitCodes.UsageOrInput;
        }
        catch (Exception e) when (e is UserErrorException or InputFileException or OutputDirectoryException or Gpu.CheckpointException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.UsageOrInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: file system: {e.Message}");
            return ExitCodes.UsageOrInput;
        }
        catch (Exception e)
        {
            error.WriteLine($"internal error ({e.GetType().Name}): {e.Message}");
            if (Environment.GetEnvironmentVariable("VERIFIED_TRACE") == "1") error.WriteLine(e);
            else error.WriteLine("This is a bug in Verified, not in your input; rerun with VERIFIED_TRACE=1 for the stack trace.");
            return ExitCodes.Internal;
        }
    }

    /// <summary>An external sampler's failure (possibly wrapped by the parallel job loop): a fault of the user's process
    /// or input, so exit 2 with its message naming the sampler, the request and the log.</summary>
    private static Exception? UserFacing(Exception e) => e switch
    {
        External.ExternalSamplerException => e,
        AggregateException a => a.Flatten().InnerExceptions.FirstOrDefault(i => i is External.ExternalSamplerException),
        _ => null,
    };
}
