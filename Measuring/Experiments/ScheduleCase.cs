using Verified.Numerics;
using Verified.Theory;

namespace Verified.Reports.Experiments;

/// <summary>A schedule with the time interval and the grid family the samplers run on.</summary>
/// <param name="Name">Short id (command line, baseline).</param>
/// <param name="Schedule">The continuous schedule.</param>
/// <param name="TStart">Start time T of sampling (the exact p_T is the start law).</param>
/// <param name="TMin">End time t_min &gt; 0: VP schedules are singular as sigma -&gt; 0, so errors are measured against p_{t_min}.</param>
/// <param name="GridName">How the N-step grid is spaced.</param>
/// <param name="Grid">N -&gt; the grid.</param>
public sealed record ScheduleCase(string Name, Schedule Schedule, double TStart, double TMin, string GridName, Func<int, TimeGrid> Grid)
{
    /// <summary>Whether a sampler's formula is valid here. The Föllmer schedule is reserved for the Föllmer samplers.</summary>
    public bool AppliesTo(SamplerInfo info) => info.Requires switch
    {
        ScheduleRequirement.VariancePreserving => Schedule.IsVariancePreserving,
        ScheduleRequirement.Follmer => Schedule.Family == ScheduleFamily.Follmer,
        _ => Schedule.Family != ScheduleFamily.Follmer,
    };
}

/// <summary>The schedules of the report.</summary>
public static class ScheduleCases
{
    /// <summary>All cases.</summary>
    public static IReadOnlyList<ScheduleCase> All { get; } = Build();

    /// <summary>The case with this name, or null.</summary>
    public static ScheduleCase? Find(string name) => All.FirstOrDefault(c => c.Name == name);

    /// <summary>Every sampler runs on the same grid per schedule. Uniform steps in the half log-SNR lambda keep
    /// every step small where the coefficients are singular (sigma -&gt; 0 at t_min, alpha -&gt; 0 or g -&gt; infinity near
    /// T); a grid uniform in t leaves lambda-steps of about (1/2) log(1 + 1/(N t_min)) at the end, which the
    /// exponential integrators only resolve for N much larger than 1/t_min.</summary>
    private const string Lambda = "uniform in lambda = log(alpha/sigma)";

    private static List<ScheduleCase> Build()
    {
        var vpLinear = Schedules.VpLinear();
        var vpCosine = Schedules.VpCosine();
        var edm = Schedules.Edm();
        var interpolant = Schedules.LinearInterpolant();
        var follmer = Schedules.Follmer();
        return
        [
            new("vp-linear", vpLinear, 1.0, 1e-3, Lambda, n => TimeGrids.UniformLambda(vpLinear, n, 1.0, 1e-3)),
            new("vp-cosine", vpCosine, 0.99, 1e-3, Lambda, n => TimeGrids.UniformLambda(vpCosine, n, 0.99, 1e-3)),
            new("edm", edm, 80.0, 2e-3, "Karras rho = 7", n => TimeGrids.KarrasRho(edm, n, 80.0, 2e-3)),
            new("linear-interpolant", interpolant, 0.99, 1e-3, Lambda, n => TimeGrids.UniformLambda(interpolant, n, 0.99, 1e-3)),
            new("follmer", follmer, 0.99, 1e-3, Lambda, n => TimeGrids.UniformLambda(follmer, n, 0.99, 1e-3)),
        ];
    }
}
