using System.CommandLine;
using Verified.Reports.Cli;
using Verified.Theory;

namespace Verified.Reports.Network;

/// <summary>The ring-mixture data law of the network verbs (<c>--modes --radius --std --classes</c>; on report and gate
/// with the prefix <c>--model-</c>), the law <c>train</c> trains on and the oracle a checkpoint is checked against.</summary>
public sealed class RingDataOptions
{
    private readonly Option<int> modes, classes;
    private readonly Option<double> radius, std;

    /// <summary>The options, named <c>PREFIXmodes</c> etc. (prefix "--" or "--model-").</summary>
    public RingDataOptions(string prefix = "--")
    {
        modes = new($"{prefix}modes") { Description = "mixture components on the ring (>= 1)", DefaultValueFactory = _ => 6 };
        radius = new($"{prefix}radius") { Description = "ring radius (> 0)", DefaultValueFactory = _ => 2.0 };
        std = new($"{prefix}std") { Description = "component standard deviation (>= 0)", DefaultValueFactory = _ => 0.3 };
        classes = new($"{prefix}classes") { Description = "0: unconditional; c >= 2: component k gets label k mod c (CFG)", DefaultValueFactory = _ => 0 };
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var o in new Option[] { modes, radius, std, classes }) command.Options.Add(o);
    }

    /// <summary>The ring mixture, labelled when classes &gt;= 2.</summary>
    /// <exception cref="UserErrorException">an option is out of range (the message names it).</exception>
    public GaussianMixture Build(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        int k = parse.GetValue(modes), c = parse.GetValue(classes);
        double r = parse.GetValue(radius), s = parse.GetValue(std);
        if (k < 1) throw new UserErrorException($"{modes.Name} must be >= 1, got {k}");
        if (!(r > 0) || double.IsInfinity(r)) throw new UserErrorException($"{radius.Name} must be a finite number > 0, got {r}");
        if (!(s >= 0) || double.IsInfinity(s)) throw new UserErrorException($"{std.Name} must be a finite number >= 0, got {s}");
        if (c == 1 || c < 0) throw new UserErrorException($"{classes.Name} must be 0 (unconditional) or >= 2, got {c}");
        if (c > k) throw new UserErrorException($"{classes.Name} must be <= {modes.Name} ({k}), got {c}");
        var ring = GaussianMixture.Ring(k, r, s);
        if (c == 0) return ring;
        var means = Enumerable.Range(0, k).Select(ring.Mean).ToArray();
        return GaussianMixture.Isotropic(ring.Weights, means, Enumerable.Repeat(s * s, k).ToArray(),
            Enumerable.Range(0, k).Select(i => i % c).ToArray());
    }
}
