using System.CommandLine;
using System.Reflection;
using Verified.Gpu;
using Verified.Reports.Cli;

namespace Verified.Reports.Network;

/// <summary>The networks of one invocation; disposing frees the checkpoints' modules.</summary>
public sealed class LoadedModels(IReadOnlyList<ModelUnderTest> models, IReadOnlyList<IDisposable> owned) : IDisposable
{
    /// <summary>The networks, in load order.</summary>
    public IReadOnlyList<ModelUnderTest> Models { get; } = models;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var o in owned) o.Dispose();
    }
}

/// <summary>
/// <c>--model CHECKPOINT|PATH.dll</c> on report and gate: a network driving the chosen samplers, held to the exact oracle
/// (<see cref="NetworkStudy"/>). A checkpoint of <c>train</c> is checked against the ring law of <c>--model-modes
/// --model-radius --model-std --model-classes</c> (refused when it was trained on another one); an assembly contributes
/// its public <see cref="NetworkUnderTest"/> subclasses (parameterless constructor) and <see cref="INetworkProvider"/>s,
/// each with the data law it declares.
/// </summary>
public sealed class ModelOptions
{
    private readonly Option<string[]> model = new("--model")
    {
        Description = "Also hold this network to the exact oracle and drive the --samplers with it (default samplers: " +
            "ddim(eta=0), dpm-solver++(2m), reverse-sde-em): a checkpoint written by train, or a .dll exposing NetworkUnderTest " +
            "types or INetworkProvider types (docs/GPU.md). Repeatable. Adds a Network section; a network missing a threshold exits 1.",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly RingDataOptions data = new("--model-");
    private readonly Option<int> steps = new("--model-steps") { Description = "steps N of each sampler run driven by --model (>= 1)", DefaultValueFactory = _ => 32 };
    private readonly Option<int> samples = new("--model-samples") { Description = "points per sampler run and exact draws per t of the error curve (>= 2)", DefaultValueFactory = _ => 2000 };
    private readonly Option<double> maxError = new("--max-relative-error")
    {
        Description = "--model fails when its time-averaged relative error E|f - f*|^2 / E|f*|^2 exceeds this (> 0)",
        DefaultValueFactory = _ => NetworkThresholds.DefaultMaxRelativeError,
    };
    private readonly Option<double> maxLaw = new("--max-law-distance")
    {
        Description = "--model fails when a sampler's coupled distance sqrt(E|X_net - X_exact|^2) / sqrt(E|x|^2) exceeds this (> 0)",
        DefaultValueFactory = _ => NetworkThresholds.DefaultMaxLawDistance,
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(model);
        data.AddTo(command);
        foreach (var o in new Option[] { steps, samples, maxError, maxLaw }) command.Options.Add(o);
    }

    /// <summary>Whether --model was given.</summary>
    public bool Given(ParseResult parse) => parse.GetValue(model) is { Length: > 0 };

    /// <summary>The thresholds, validated.</summary>
    /// <exception cref="UserErrorException">a bound is not a finite number &gt; 0.</exception>
    public NetworkThresholds Thresholds(ParseResult parse)
    {
        var t = new NetworkThresholds(parse.GetValue(maxError), parse.GetValue(maxLaw));
        try
        {
            t.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UserErrorException($"{e.Message.Split(" (Parameter")[0]}, got {e.ActualValue}");
        }
        return t;
    }

    /// <summary>(steps, samples), validated.</summary>
    /// <exception cref="UserErrorException">out of range.</exception>
    public (int Steps, int Samples) Sizes(ParseResult parse)
    {
        int n = parse.GetValue(steps), m = parse.GetValue(samples);
        if (n < 1) throw new UserErrorException($"--model-steps must be >= 1, got {n}");
        if (m < 2) throw new UserErrorException($"--model-samples must be >= 2, got {m}");
        return (n, m);
    }

    /// <summary>Loads every --model (empty when not given). Checks everything before any measuring.</summary>
    /// <exception cref="UserErrorException">a file is missing or malformed, a checkpoint was trained on another law,
    /// an assembly exposes no network, or a network cannot be constructed.</exception>
    public LoadedModels Load(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return LoadAll(parse.GetValue(model) ?? [], () => data.Build(parse));
    }

    /// <summary>Loads one checkpoint (checked against <paramref name="ringLaw"/>) or one assembly's networks.</summary>
    /// <exception cref="UserErrorException">as <see cref="Load"/>.</exception>
    public static LoadedModels LoadOne(string path, Func<Theory.GaussianMixture> ringLaw) => LoadAll([path], ringLaw);

    private static LoadedModels LoadAll(IReadOnlyList<string> paths, Func<Theory.GaussianMixture> ringLaw)
    {
        var models = new List<ModelUnderTest>();
        var owned = new List<IDisposable>();
        try
        {
            foreach (var path in paths)
            {
                if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) models.AddRange(FromAssembly(path, owned));
                else models.Add(FromCheckpoint(path, ringLaw(), owned));
            }
            var twice = models.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
                throw new UserErrorException($"--model: two networks are named '{twice.Key}' ({string.Join("; ", twice.Select(m => m.Origin))})");
            return new LoadedModels(models, owned);
        }
        catch
        {
            foreach (var o in owned) o.Dispose();
            throw;
        }
    }

    private static ModelUnderTest FromCheckpoint(string path, Theory.GaussianMixture mixture, List<IDisposable> owned)
    {
        var full = Path.GetFullPath(path);
        DenoiserNetwork network;
        try
        {
            network = Checkpoint.Load(full);
        }
        catch (CheckpointException e)
        {
            throw new UserErrorException($"--model: {e.Message}");
        }
        owned.Add(network);
        try
        {
            TrainingData.CheckTrainedOn(network.Config, mixture, full);
        }
        catch (CheckpointException e)
        {
            throw new UserErrorException($"--model: {e.Message} (--model-modes, --model-radius, --model-std, --model-classes)");
        }
        return new ModelUnderTest(Path.GetFileName(full), $"checkpoint {full}", new NetworkTensorModel(network), mixture, network.Config.Target);
    }

    private static List<ModelUnderTest> FromAssembly(string path, List<IDisposable> owned)
    {
        var (full, types) = PluginLoadContext.ExportedTypes(path, "--model");
        var networks = new List<(NetworkUnderTest Network, string Origin)>();
        foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && t.GetConstructor(Type.EmptyTypes) is not null)
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            string origin = $"assembly {full} (type {type.FullName})";
            if (typeof(NetworkUnderTest).IsAssignableFrom(type))
                networks.Add((Construct<NetworkUnderTest>(type, origin), origin));
            else if (typeof(INetworkProvider).IsAssignableFrom(type))
            {
                var provider = Construct<INetworkProvider>(type, origin);
                try
                {
                    networks.AddRange(provider.Networks().Select(n => (n, origin)));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new UserErrorException($"{origin}: Networks() failed ({e.Message})");
                }
            }
        }
        if (networks.Count == 0)
            throw new UserErrorException($"--model {path}: no networks found; the tool loads public non-abstract NetworkUnderTest subclasses " +
                "with a public parameterless constructor and the networks of public INetworkProvider types (docs/GPU.md)");
        foreach (var (n, _) in networks) if (n is IDisposable d) owned.Add(d);
        return networks.Select(n => new ModelUnderTest(n.Network.Name, n.Origin, n.Network, n.Network.TrainedOn, n.Network.Target)).ToList();
    }

    private static T Construct<T>(Type type, string origin)
    {
        try
        {
            return (T)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new UserErrorException($"{origin}: the constructor failed ({inner.Message})");
        }
    }
}
