using System.CommandLine;
using Verified.Reports.Experiments;

namespace Verified.Reports.Cli;

/// <summary>The <c>gate</c> verb: re-measure and compare with the committed baseline.</summary>
public static class GateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var baseline = new Option<string>("--baseline") { Description = "Baseline file. Default: reports/baseline.json under the repository root." };
        var samplers = new SamplerOptions("Gate only these samplers (exact names, built-in or from --assembly; space or comma separated); the baseline is judged only for them.");
        var shard = Shard.Option();
        var models = new Network.ModelOptions();
        var command = new Command("gate", "Regression gate: re-measure the gate preset and compare with the baseline. With --model, also hold the networks to the exact oracle against --max-relative-error and --max-law-distance. Exit 0 pass, 1 regression or a network missing a threshold, 2 usage or input error.")
        {
            baseline, shard,
        };
        samplers.AddTo(command);
        models.AddTo(command);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            var thresholds = models.Thresholds(parse);
            var (modelSteps, modelSamples) = models.Sizes(parse);
            using var loaded = models.Load(parse); // a bad checkpoint or law fails before measuring
            using var externals = samplers.StartExternal(parse);
            var request = samplers.Request(parse, Preset.Gate, null, externals);
            if (Shard.Parse(parse.GetValue(shard)) is { } part) request = request with { Samplers = part.Samplers(request.EffectiveCatalog, request.Samplers) };
            int code = GateCheck.Run(parse.GetValue(baseline) is { Length: > 0 } b ? b : RepositoryPaths.DefaultBaseline, Console.Out, request);
            var networks = Network.NetworkRuns.Run(loaded.Models, Network.NetworkRuns.Drivers(request), modelSteps, modelSamples, thresholds, Console.Out);
            if (networks.Any(n => n.Verdict != "PASS"))
            {
                Console.WriteLine($"gate FAILED: {networks.Count(n => n.Verdict != "PASS")} of {networks.Count} network(s) missed a threshold");
                return ExitCodes.Regression;
            }
            return code;
        }));
        return command;
    }
}
