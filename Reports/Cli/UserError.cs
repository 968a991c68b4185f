namespace Verified.Reports.Cli;

/// <summary>A mistake in what the user asked for (bad option value, refused overwrite): printed as one line,
/// exit code 2, never a stack trace.</summary>
public sealed class UserErrorException(string message) : Exception(message);
