// Placeholder entry point until the Reports issue lands: says so instead of pretending.
Console.Error.WriteLine("Verified.Reports: the report and gate verbs are not implemented yet (see the Reports issue).");
return 2;
