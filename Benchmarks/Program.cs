using BenchmarkDotNet.Running;
using Verified.Benchmarks;

// Verified.Benchmarks: `throughput [--samples N] [--steps N] [--threads N] [--dim N] [--torch-samples N]` times the reference case
// (see Benchmarks/peer/peer.sh for the PyTorch comparison); `kernel-vs-exp` times the isotropic kernel against its exp ceiling; `bdn [BenchmarkDotNet args]` runs the micro-benchmarks
// (use --inProcess: the assembly name differs from the project name; see docs/PERFORMANCE.md).
const string usage = "usage: Verified.Benchmarks throughput [--samples N] [--steps N] [--threads N] [--dim N] [--torch-samples N (0: skip TorchSharp)] | kernel-vs-exp | bdn [BenchmarkDotNet arguments] | protocol N D EVALUATIONS";
if (args.Length == 0 || args[0] is "--help" or "-h") { Console.WriteLine(usage); return args.Length == 0 ? 2 : 0; }
switch (args[0])
{
    case "kernel-vs-exp":
        return KernelProbe.Run();
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(OracleScore).Assembly).Run(args[1..]);
        return 0;
    case "throughput" when args.Skip(1).Any(a => a is "--help" or "-h"):
        Console.WriteLine(usage);
        return 0;
    case "throughput":
        var options = new Dictionary<string, int> { ["--samples"] = 1_000_000, ["--steps"] = 100, ["--threads"] = 2, ["--dim"] = 2, ["--torch-samples"] = 0 };
        for (int i = 1; i < args.Length; i += 2)
        {
            if (!options.ContainsKey(args[i]) || i + 1 >= args.Length || !int.TryParse(args[i + 1], out int value) || value < (args[i] == "--torch-samples" ? 0 : 1))
            {
                Console.Error.WriteLine($"invalid option '{string.Join(' ', args[i..Math.Min(i + 2, args.Length)])}': options take a positive integer. {usage}");
                return 2;
            }
            options[args[i]] = value;
        }
        if (options["--dim"] < 2) { Console.Error.WriteLine("--dim must be >= 2 (the ring lies in the first two axes)"); return 2; }
        return Throughput.Run(options["--samples"], options["--steps"], options["--threads"], options["--dim"], options["--torch-samples"]);
    case "protocol":
        // protocol N D EVALUATIONS: the external-process protocol's cost (docs/PROTOCOL.md, "Cost").
        return ProtocolOverhead.Run(int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3]), "python3 Benchmarks/peer/protocol_client.py");
    default:
        Console.Error.WriteLine($"unknown verb '{args[0]}'. {usage}");
        return 2;
}
