namespace Verified.Gpu;

/// <summary>Every tensor sampler, each named after the Numerics sampler it reproduces (the shared test pairs them by name).</summary>
public static class TensorSamplerRegistry
{
    /// <summary>All tensor samplers (fresh instances).</summary>
    public static IReadOnlyList<TensorSampler> All() =>
    [
        new TensorReverseSdeEulerMaruyama(),
        new TensorPfOdeEuler(),
        new TensorHeun(),
        new TensorDpmSolver1(),
        new TensorDdim(0.0),
        new TensorDdim(0.5),
        new TensorDdim(1.0),
        new TensorDdpm(Numerics.DdpmVariance.Beta),
        new TensorDdpm(Numerics.DdpmVariance.BetaTilde),
        new TensorDpmSolver2(),
        new TensorDpmSolverPlusPlus2M(),
        new TensorFlowMatchingEuler(),
    ];

    /// <summary>The tensor sampler with this name; the message lists the valid names.</summary>
    public static TensorSampler ByName(string name)
    {
        var all = All();
        return all.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException($"no tensor sampler named '{name}'; valid names: {string.Join(", ", all.Select(s => s.Name))}", nameof(name));
    }
}
