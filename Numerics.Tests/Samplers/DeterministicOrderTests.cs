using Verified.Reports.Analysis;
using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>Every deterministic sampler's declared strong order, read from its Info, against the observed order of
/// its final-state error on Gaussian data, where the exact PF-ODE solution is the closed-form flow map (CM.1), judged by
/// the same claim rule as the report (<see cref="OrderClaim"/>: at least the declared order, the ladder N = 32, 64, 128
/// extended while pre-asymptotic).</summary>
public class DeterministicOrderTests
{
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
        var exact = new GaussianFlow(data, schedule);
        var model = Fixtures.Oracle(data, schedule);
        double tStart = 1.0, tEnd = 1e-2;
        double[] start = [0.7, -0.4];
        var target = exact.FlowMap(start, tStart, tEnd);
        List<ErrorPoint> Ladder(IReadOnlyList<int> steps) => steps.Select(n =>
        {
            var output = sampler.Sample(model, start, TimeGrids.UniformLambda(schedule, n, tStart, tEnd), ZeroNoise.Instance).State;
            return new ErrorPoint(n, Math.Sqrt(output.Zip(target, (a, b) => (a - b) * (a - b)).Sum()));
        }).ToList();
        double declared = sampler.Info.StrongOrder!.Value;
        var judged = OrderClaim.JudgeExtending(Tier.Exact, declared, [32, 64, 128], Ladder, l => l, roundOffFloor: 1e-12);
        Assert.True(judged.Judgement.Verdict == Verdict.Pass,
            $"{name}: errors {string.Join(", ", judged.Ladder.Select(e => $"N={e.Steps}: {e.Error:E3}"))}, declared {declared}: {judged.Judgement.Verdict} {judged.Judgement.Reason}");
    }
}
