using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>Every deterministic sampler's declared strong order, read from its Info, against the observed order of
/// its final-state error on Gaussian data, where the exact PF-ODE solution is the closed-form flow map (CM.1).</summary>
public class DeterministicOrderTests
{
    // Observed orders from N = 32 -> 64 -> 128 must reach the declared order minus this slack (pre-asymptotic drift).
    private const double OrderSlack = 0.3;

    public static TheoryData<string> DeterministicSamplers()
    {
        var data = new TheoryData<string>();
        foreach (var s in SamplerRegistry.All())
            if (!s.Info.IsStochastic && s.Info.EvaluationsPerStep is not null && s.Info.Requires == ScheduleRequirement.Any)
                data.Add(s.Info.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(DeterministicSamplers))]
    public void Observed_strong_order_matches_the_declared_order(string name)
    {
        var sampler = SamplerRegistry.ByName(name);
        var schedule = Schedules.VpLinear();
        var data = Fixtures.Gaussian2D();
        var exact = new GaussianData(data, schedule);
        var model = Fixtures.Oracle(data, schedule);
        double tStart = 1.0, tEnd = 1e-2;
        double[] start = [0.7, -0.4];
        var target = exact.FlowMap(start, tStart, tEnd);
        var errors = new[] { 32, 64, 128 }.Select(n =>
        {
            var output = sampler.Sample(model, start, TimeGrids.UniformLambda(schedule, n, tStart, tEnd), ZeroNoise.Instance).State;
            return Math.Sqrt(output.Zip(target, (a, b) => (a - b) * (a - b)).Sum());
        }).ToArray();
        double declared = sampler.Info.StrongOrder!.Value;
        for (int k = 1; k < errors.Length; k++)
        {
            double observed = Math.Log2(errors[k - 1] / errors[k]);
            Assert.True(observed > declared - OrderSlack,
                $"{name}: errors {string.Join(", ", errors.Select(e => e.ToString("E3")))}, observed order {observed:F2} < declared {declared}");
        }
    }
}
