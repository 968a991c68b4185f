using System.CommandLine;

namespace Verified.Reports.Cli;

/// <summary>The root command: one line per verb.</summary>
public static class CommandTree
{
    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Verified reports: convergence-order reports and the regression gate for diffusion samplers.");
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(GateCommand.Create());
        root.Subcommands.Add(BaselineCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(NetworkCommands.Train());
        root.Subcommands.Add(NetworkCommands.CheckNetwork());
        return root;
    }

    /// <summary>Parses and runs; parse errors print one line each and exit 2.</summary>
    public static int Run(string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) error.WriteLine($"error: {e.Message}");
            error.WriteLine("run with --help for usage");
            return ExitCodes.UsageOrInput;
        }
        return parse.Invoke();
    }
}
