using Verified.Reports.Experiments;
using Verified.Reports.Model;

namespace Verified.Reports.Tests.Experiments;

public class DeterminismTests
{
    /// <summary>Everything but wall times, which legitimately differ.</summary>
    private static IEnumerable<string> Numbers(ReportDocument d) =>
        d.Series.SelectMany(s => s.Points.Select(p =>
            $"{s.Key} {p.N} {p.Nfe} {p.Error:R} {p.HalfWidth:R} {p.Kl:R} {string.Join(",", p.Samples?.Select(v => v.ToString("R")) ?? [])}"))
        .Concat(d.Series.Select(s => $"{s.Key} {s.Fit.Order:R} {s.Verdict}"));

    [Fact]
    public void Same_seed_gives_bit_identical_numbers_on_one_thread_and_on_two()
    {
        // Both tiers and a stochastic sampler (Monte Carlo with per-sample values): every number must agree to the bit.
        var request = new RunRequest(Preset.Quick, ["reverse-sde-em", "heun"], ["gauss-1d", "ring-2d"]);
        var one = ReportRunner.Run(request, threads: 1);
        var two = ReportRunner.Run(request, threads: 2);
        Assert.NotEmpty(one.Series);
        Assert.Contains(one.Series, s => s.Tier == Verified.Reports.Analysis.Tier.MonteCarlo);
        Assert.Equal(Numbers(one), Numbers(two));
    }
}
