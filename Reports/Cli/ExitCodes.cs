namespace Verified.Reports.Cli;

/// <summary>Exit codes of every verb.</summary>
public static class ExitCodes
{
    /// <summary>Success (gate: no regression).</summary>
    public const int Ok = 0;
    /// <summary>The gate found a regression, a ladder FAILed, or a network missed a threshold.</summary>
    public const int Regression = 1;
    /// <summary>Usage or input error (bad options, missing/malformed baseline).</summary>
    public const int UsageOrInput = 2;
    /// <summary>An unexpected internal error (a bug: please report it).</summary>
    public const int Internal = 3;
}
