// Entry point: the verbs live in Cli/CommandTree.cs.
return Verified.Reports.Cli.CommandTree.Run(args);
