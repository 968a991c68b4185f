using MathNet.Numerics;

namespace Verified.Testing;

/// <summary>What one run of a Monte Carlo check found: its p-value under the claim and a line saying what was compared.</summary>
internal sealed record StatisticalOutcome(double PValue, string Detail);

/// <summary>
/// The harness of every Monte Carlo check in the xunit projects, with the rule of the Verification suite's StatCheck
/// (docs/STATISTICS.md): a check is a function seed -&gt; p-value declared with its false-alarm probability alpha and
/// fails when p &lt; alpha. Normal runs use a fixed seed per check (FNV-1a of its name; VERIFIED_SEED replays one);
/// VERIFIED_STRESS=1 reruns it VERIFIED_STRESS_REPEATS times (default 20) with fresh seeds and fails when the number of
/// rejections is implausible under alpha (binomial upper tail &lt; 1e-3). The checks and their alphas are listed in
/// docs/STATISTICS.md's budget. This file is compiled into each test project (linked, not a package).
/// </summary>
internal static class StatisticalCheck
{
    /// <summary>The per-check false-alarm probability, the same as the Verification suite's Statistics.checkAlpha.</summary>
    public const double CheckAlpha = 1e-6;

    /// <summary>Stress verdict threshold on the binomial upper tail of the rejection count.</summary>
    public const double StressImplausible = 1e-3;

    private static bool StressMode => Environment.GetEnvironmentVariable("VERIFIED_STRESS") == "1";

    private static int StressRepeats =>
        int.TryParse(Environment.GetEnvironmentVariable("VERIFIED_STRESS_REPEATS"), out int r) && r > 0 ? r : 20;

    /// <summary>The fixed seed of a check: FNV-1a of its name (the Verification suite's seedOf).</summary>
    public static ulong SeedOf(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in name) h = (h ^ c) * 1099511628211UL;
        return h;
    }

    /// <summary>Runs the check <paramref name="name"/> under the harness's rule and fails the test as the rule says.</summary>
    public static void Run(string name, Func<ulong, StatisticalOutcome> run, double alpha = CheckAlpha)
    {
        if (!(alpha > 0 && alpha <= CheckAlpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha must be in (0, {CheckAlpha}] (the per-check budget), got {alpha}");
        if (StressMode)
        {
            var random = new Random();
            int repeats = StressRepeats, rejected = 0, below01 = 0;
            var seeds = new List<ulong>();
            double minP = 1;
            for (int k = 0; k < repeats; k++)
            {
                ulong seed = (ulong)random.NextInt64();
                var o = run(seed);
                minP = Math.Min(minP, o.PValue);
                if (o.PValue < 0.01) below01++;
                if (double.IsNaN(o.PValue) || o.PValue < alpha) { rejected++; seeds.Add(seed); }
            }
            Console.WriteLine($"STRESS | {name} | alpha {alpha:G3} | rejected {rejected}/{repeats} | p<0.01: {below01}/{repeats} | min p {minP:G3}");
            double tail = rejected == 0 ? 1 : 1 - MathNet.Numerics.Distributions.Binomial.CDF(alpha, repeats, rejected - 1);
            if (tail < StressImplausible)
                Xunit.Assert.Fail($"{name}: {rejected} of {repeats} fresh-seed runs rejected at alpha = {alpha:G3} (binomial tail {tail:G3}); seeds {string.Join(", ", seeds)}");
            return;
        }
        ulong fixedSeed = ulong.TryParse(Environment.GetEnvironmentVariable("VERIFIED_SEED"), out ulong replay) ? replay : SeedOf(name);
        var outcome = run(fixedSeed);
        if (double.IsNaN(outcome.PValue) || outcome.PValue < alpha)
            Xunit.Assert.Fail($"{name}: p = {outcome.PValue:G3} < alpha = {alpha:G3}: {outcome.Detail} (replay with VERIFIED_SEED={fixedSeed})");
    }

    /// <summary>Two-sided normal p-value P(|Z| &gt;= |z|) = erfc(|z|/sqrt 2).</summary>
    public static double NormalTwoSided(double z) => SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));

    /// <summary>Bonferroni: a family of m p-values rejects at alpha iff m min p &lt; alpha.</summary>
    public static double Bonferroni(IReadOnlyCollection<double> ps) => ps.Count == 0 ? 1 : Math.Min(1, ps.Count * ps.Min());

    /// <summary>P(Binomial(n, q) &lt;= k): the p-value of k successes when the success probability is at least q.</summary>
    public static double BinomialLowerTail(int n, double q, int k) => MathNet.Numerics.Distributions.Binomial.CDF(q, n, k);

    /// <summary>Upper tail of chi-square with k degrees of freedom, P(X &gt;= x).</summary>
    public static double ChiSquareUpper(double k, double x) => x <= 0 ? 1 : SpecialFunctions.GammaUpperRegularized(k / 2, x / 2);
}
