using Verified.Reports.Analysis;
using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>
/// Every fixed-step sampler's declared orders on a grid whose consecutive steps differ by O(1) ratios at every N:
/// lambda-steps cycle through 0.6 H, 1.4 H, 0.9 H, 1.1 H (ratios h_prev / h from 0.43 to 1.56), so coefficients that only matter
/// when consecutive steps differ (multistep ratios such as DPM-Solver++(2M)'s r = h_prev / h) are exercised. Smooth
/// grids (uniform, Karras) have ratios tending to 1 and hide such bugs. References are independent of the samplers:
/// the closed-form flow map (CM.1) for the strong order, the exact target law p_{t_min} for the weak order (W2 of the
/// exact output law, no Monte Carlo). Judged by the report's claim rule (<see cref="OrderClaim"/>).
/// </summary>
public class IrregularGridOrderTests
{
    private const double TStart = 1.0, TEnd = 1e-3;

    /// <summary>Step factors, cycled; they average 1 over a cycle, so N divisible by 4 ends exactly at t_min. Not
    /// alternating between two values only: with two values some ratio errors cancel pairwise.</summary>
    private static readonly double[] Pattern = [0.6, 1.4, 0.9, 1.1];

    /// <summary>Lambda-steps H times the cycled pattern (N divisible by 4) from T to t_min.</summary>
    internal static TimeGrid Irregular(Schedule schedule, int steps)
    {
        double l0 = schedule.Lambda(TStart), l1 = schedule.Lambda(TEnd), step = (l1 - l0) / steps;
        var times = new double[steps + 1];
        double lambda = l0;
        times[0] = TStart;
        for (int i = 1; i < steps; i++)
        {
            lambda += step * Pattern[(i - 1) % Pattern.Length];
            times[i] = schedule.LambdaInverse(lambda);
        }
        times[steps] = TEnd;
        return new TimeGrid(times);
    }

    public static TheoryData<string> FixedStepSamplers()
    {
        var data = new TheoryData<string>();
        foreach (var s in SamplerRegistry.All())
            if (s.Info.EvaluationsPerStep is not null && s.Info.Requires == ScheduleRequirement.Any)
                data.Add(s.Info.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(FixedStepSamplers))]
    public void Declared_orders_hold_on_a_grid_with_irregular_step_ratios(string name)
    {
        var sampler = SamplerRegistry.ByName(name);
        var schedule = Schedules.VpLinear();
        // Well-separated scales (variances 0.01 and 2): the data prediction moves fast along the path, so the
        // second-order terms (where step-ratio coefficients live) carry weight.
        var data = GaussianMixture.Gaussian([0.5, -1.0], Fixtures.Rotated([0.01, 2.0], 0.4));
        var model = Fixtures.Oracle(data, schedule);
        int[] ladder = [16, 32, 64, 128];
        if (!sampler.Info.IsStochastic && sampler.Info.StrongOrder is double strong)
        {
            var exact = new GaussianFlow(data, schedule);
            double[] start = [0.7, -0.4];
            var target = exact.FlowMap(start, TStart, TEnd);
            List<ErrorPoint> Strong(IReadOnlyList<int> steps) => steps.Select(n =>
            {
                var output = sampler.Sample(model, start, Irregular(schedule, n), ZeroNoise.Instance).State;
                return new ErrorPoint(n, Math.Sqrt(output.Zip(target, (a, b) => (a - b) * (a - b)).Sum()));
            }).ToList();
            Expect(name, "strong", strong, OrderClaim.JudgeExtending(Tier.Exact, strong, ladder, Strong, l => l, roundOffFloor: 1e-12));
        }
        if (sampler.Info.IsAffine && sampler.Info.WeakOrder is double weak)
        {
            var targetLaw = OutputLaw.Target(model, TEnd);
            List<ErrorPoint> Weak(IReadOnlyList<int> steps) => steps.Select(n =>
                new ErrorPoint(n, OutputLaw.Compute(sampler, model, Irregular(schedule, n)).Wasserstein2(targetLaw))).ToList();
            Expect(name, "weak", weak, OrderClaim.JudgeExtending(Tier.Exact, weak, ladder, Weak, l => l, roundOffFloor: 1e-12));
        }
    }

    private static void Expect(string name, string kind, double declared, ExtendedJudgement<List<ErrorPoint>> judged) =>
        Assert.True(judged.Judgement.Verdict == Verdict.Pass,
            $"{name} ({kind}, declared {declared}) on irregular steps: errors {string.Join(", ", judged.Ladder.Select(e => $"N={e.Steps}: {e.Error:E3}"))}: {judged.Judgement.Verdict} {judged.Judgement.Reason}");

    [Fact]
    public void The_grid_really_has_irregular_ratios_at_every_N()
    {
        var schedule = Schedules.VpLinear();
        foreach (int n in new[] { 16, 128 })
        {
            var grid = Irregular(schedule, n);
            double H = (schedule.Lambda(TEnd) - schedule.Lambda(TStart)) / n;
            for (int i = 0; i < n; i++)
                Assert.InRange((schedule.Lambda(grid[i + 1]) - schedule.Lambda(grid[i])) / H, Pattern[i % 4] - 1e-6, Pattern[i % 4] + 1e-6);
        }
    }
}
