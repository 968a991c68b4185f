namespace Verified.Numerics;

/// <summary>
/// Every sampler the suite knows, configured as it is verified and reported. Adding a sampler is one class
/// plus one line here; a test fails if a concrete <see cref="Sampler"/> subclass is missing from this list.
/// </summary>
public static class SamplerRegistry
{
    /// <summary>All registered samplers (fresh instances: samplers are stateless between runs).</summary>
    public static IReadOnlyList<Sampler> All() =>
    [
        new ReverseSdeEulerMaruyama(),
        new PfOdeEuler(),
        new Heun(),
        new DpmSolver1(),
        new Ddim(0.0),
        new Ddim(0.5),
        new Ddim(1.0),
        new Ddpm(DdpmVariance.Beta),
        new Ddpm(DdpmVariance.BetaTilde),
        new DpmSolver2(),
        new DpmSolver3(),
        new DpmSolverPlusPlus2S(),
        new DpmSolverPlusPlus2M(),
        new FlowMatchingEuler(),
        new FlowMatchingHeun(),
        new Rk45(),
        new GeneralisedReverse(0.5),
        // Registered with the step size that shrinks with the grid: the fixed-snr rule declares no order (nothing to check).
        new PredictorCorrector(shrinkWithGrid: true),
        new PredictorCorrector(stepSize: LangevinStepSize.Fixed, shrinkWithGrid: true),
        new FollmerEulerMaruyama(),
        new FollmerBridge(),
    ];

    /// <summary>The sampler with this registry name.</summary>
    /// <exception cref="ArgumentException">no sampler has that name; the message lists the valid names.</exception>
    public static Sampler ByName(string name)
    {
        var all = All();
        return all.FirstOrDefault(s => s.Info.Name == name)
            ?? throw new ArgumentException($"no sampler named '{name}'; valid names: {string.Join(", ", all.Select(s => s.Info.Name))}", nameof(name));
    }
}
