using System.CommandLine;
using System.Globalization;
using Verified.Numerics;
using Verified.Reports.Experiments;

namespace Verified.Reports.Cli;

/// <summary>The <c>list</c> verb: the names every other verb accepts (samplers with their declarations, problems,
/// schedules, presets), so nobody has to read the source to find them.</summary>
public static class ListCommand
{
    /// <summary>What can be listed.</summary>
    public static readonly string[] Kinds = ["samplers", "problems", "schedules", "presets"];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var what = new Argument<string?>("what") { Description = $"One of {string.Join(", ", Kinds)}; all when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", "List sampler names with their declarations, problems, schedules and presets (the names --samplers, --problems and --schedule accept).")
        {
            what,
        };
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            var kind = parse.GetValue(what);
            if (kind is not null && !Kinds.Contains(kind))
                throw new UserErrorException($"list {kind}: unknown; valid: {string.Join(", ", Kinds)}");
            Write(kind, Console.Out);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string O(double? v) => v is double d ? d.ToString("0.##", CultureInfo.InvariantCulture) : "-";

    /// <summary>Writes the lists (all when <paramref name="kind"/> is null).</summary>
    public static void Write(string? kind, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (kind is null or "samplers")
        {
            output.WriteLine("samplers (name | strong order | weak order | NFE/step | stochastic | schedules | equation):");
            foreach (var info in SamplerRegistry.All().Select(s => s.Info))
                output.WriteLine($"  {info.Name} | {O(info.StrongOrder)} | {O(info.WeakOrder)} | {(info.EvaluationsPerStep is double e ? O(e) : "adaptive")} | " +
                    $"{(info.IsStochastic ? "yes" : "no")} | {info.Requires} | {info.Equation}");
        }
        if (kind is null or "problems")
        {
            output.WriteLine("problems:");
            foreach (var p in Problems.All) output.WriteLine($"  {p.Name} | {p.Description}");
        }
        if (kind is null or "schedules")
        {
            output.WriteLine("schedules (report name | train --schedule also accepts | T | t_min | grid):");
            foreach (var c in ScheduleCases.All)
                output.WriteLine($"  {c.Name} | {c.Schedule.Name} | {c.TStart.ToString(CultureInfo.InvariantCulture)} | {c.TMin.ToString(CultureInfo.InvariantCulture)} | {c.GridName}");
        }
        if (kind is null or "presets")
        {
            output.WriteLine("presets (name | tier-0 N | tier-1 N | Monte Carlo samples | problems):");
            foreach (var p in new[] { Preset.Quick, Preset.Default, Preset.Full, Preset.Gate })
                output.WriteLine($"  {p.Name} | {p.ExactLadder[0]}..{p.ExactLadder[^1]} | {p.MixtureLadder[0]}..{p.MixtureLadder[^1]} | {p.MonteCarloSamples} | {string.Join(", ", p.Problems)}");
        }
    }

    /// <summary>A report schedule name (vp-linear) as the theory schedule name train uses (vp-linear(0.1,20)); other names unchanged.</summary>
    public static string TheoryScheduleName(string name) => ScheduleCases.Find(name)?.Schedule.Name ?? name;
}
