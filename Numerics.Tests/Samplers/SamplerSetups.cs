using Verified.Theory;

namespace Verified.Numerics.Tests;

internal static class SamplerSetups
{
    /// <summary>A schedule each sampler's formula accepts, with a start and end time inside its domain:
    /// the Föllmer schedule from s0 = 0.01 for Föllmer samplers, VP-linear from T = 1 otherwise.</summary>
    public static (Schedule Schedule, double TStart, double TEnd) For(Sampler sampler) =>
        sampler.Info.Requires == ScheduleRequirement.Follmer ? (Schedules.Follmer(), 0.99, 1e-2) : (Schedules.VpLinear(), 1.0, 1e-2);
}
