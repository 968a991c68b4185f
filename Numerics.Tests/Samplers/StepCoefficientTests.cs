using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>Each shared step coefficient against the published formula written out here from alpha, sigma and
/// abar = alpha^2 directly (not through lambda or expm1), on grids with irregular step ratios: the CPU and tensor
/// samplers now share one kernel, so their equality no longer checks it.</summary>
public class StepCoefficientTests
{
    public static TheoryData<string> ScheduleNames => new() { "vp-linear", "vp-cosine", "sub-vp", "edm", "linear-interpolant" };
    public static TheoryData<string> VpScheduleNames => new() { "vp-linear", "vp-cosine" };

    private static Schedule Make(string name) => name switch
    {
        "vp-linear" => Schedules.VpLinear(),
        "vp-cosine" => Schedules.VpCosine(),
        "sub-vp" => Schedules.SubVp(),
        "edm" => Schedules.Edm(),
        _ => Schedules.LinearInterpolant(),
    };

    // Fractions of the time range with step ratios from 1.0001 to 50: big, tiny and uneven steps.
    private static readonly double[] Fractions = [0.999, 0.83, 0.61, 0.6099, 0.37, 0.12, 0.05, 0.011, 0.0104, 2e-4];

    /// <summary>Consecutive (t, s) pairs on the irregular grid, all with sigma_s &gt; 0.</summary>
    private static IEnumerable<(double T, double S)> Steps(Schedule schedule)
    {
        double top = schedule.TMaxIncluded ? schedule.TMax : schedule.TMax * (1 - 1e-3);
        var times = Fractions.Select(f => schedule.TMin + f * (top - schedule.TMin)).ToArray();
        for (int k = 0; k + 1 < times.Length; k++) yield return (times[k], times[k + 1]);
    }

    private static void Close(double expected, double actual, double relative, string what)
    {
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-300),
            $"{what}: published {expected:R}, shared {actual:R}");
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void Ddim_sigma_eta_is_eta_times_the_posterior_std_of_x_s_given_x_t_and_x0(string name)
    {
        // x_t | x_s ~ N((alpha_t/alpha_s) x_s, v) with v = sigma_t^2 - (alpha_t/alpha_s)^2 sigma_s^2, so
        // Var(x_s | x_t, x0) = sigma_s^2 v / sigma_t^2 (Song et al. eq. 16 in alpha, sigma); DDIM scales its std by eta.
        var schedule = Make(name);
        foreach (var eta in new[] { 0.3, 1.0 })
            foreach (var (t, s) in Steps(schedule))
            {
                double a = schedule.Alpha(t) / schedule.Alpha(s), sigmaT = schedule.Sigma(t), sigmaS = schedule.Sigma(s);
                double v = sigmaT * sigmaT - a * a * sigmaS * sigmaS;
                double sigmaEta = eta * Math.Sqrt(sigmaS * sigmaS * v / (sigmaT * sigmaT));
                var (shared, noise) = StepCoefficients.Ddim(schedule, t, s, eta);
                Close(sigmaEta, shared, 1e-9, $"{name} sigma_eta(eta={eta}, {t} -> {s})");
                Close(Math.Sqrt(sigmaS * sigmaS - sigmaEta * sigmaEta), noise, 1e-9, $"{name} noise coefficient ({t} -> {s})");
            }
    }

    [Theory]
    [MemberData(nameof(VpScheduleNames))]
    public void Ddim_sigma_eta_on_VP_is_Song_et_al_eq_16_in_abar(string name)
    {
        var schedule = Make(name);
        foreach (var (t, s) in Steps(schedule))
        {
            double abarT = Math.Pow(schedule.Alpha(t), 2), abarS = Math.Pow(schedule.Alpha(s), 2);
            double published = 0.7 * Math.Sqrt((1 - abarS) / (1 - abarT)) * Math.Sqrt(1 - abarT / abarS);
            Close(published, StepCoefficients.Ddim(schedule, t, s, 0.7).SigmaEta, 1e-9, $"{name} {t} -> {s}");
            Close(Math.Sqrt(1 - abarS - published * published), StepCoefficients.Ddim(schedule, t, s, 0.7).NoiseCoefficient,
                1e-9, $"{name} noise coefficient {t} -> {s}");
        }
    }

    [Theory]
    [MemberData(nameof(VpScheduleNames))]
    public void Ddpm_coefficients_are_Ho_et_al_from_the_discrete_chain(string name)
    {
        // Ho et al. Algorithm 2 for the chain abar_s -> abar_t: alpha_step = abar_t/abar_s, beta = 1 - alpha_step,
        // x_s = (x_t - beta/sqrt(1 - abar_t) eps)/sqrt(alpha_step) + sigma z, beta~ = (1 - abar_s) beta/(1 - abar_t).
        var schedule = Make(name);
        foreach (var (t, s) in Steps(schedule))
        {
            double abarT = Math.Pow(schedule.Alpha(t), 2), abarS = Math.Pow(schedule.Alpha(s), 2);
            double alphaStep = abarT / abarS, beta = 1 - alphaStep, betaTilde = (1 - abarS) * beta / (1 - abarT);
            foreach (var last in new[] { false, true })
            {
                var (scale, epsCoefficient, noise) = StepCoefficients.Ddpm(schedule, t, s, DdpmVariance.Beta, last);
                Close(1 / Math.Sqrt(alphaStep), scale, 1e-12, $"{name} scale {t} -> {s}");
                Close(beta / Math.Sqrt(1 - abarT), epsCoefficient, 1e-8, $"{name} eps coefficient {t} -> {s}");
                if (last) Assert.Equal(0.0, noise); else Close(Math.Sqrt(beta), noise, 1e-8, $"{name} sqrt(beta) {t} -> {s}");
            }
            Close(Math.Sqrt(betaTilde), StepCoefficients.Ddpm(schedule, t, s, DdpmVariance.BetaTilde, false).NoiseScale,
                1e-8, $"{name} sqrt(beta~) {t} -> {s}");
        }
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void Exponential_integrator_coefficients_are_their_ratio_forms(string name)
    {
        // e^h = alpha_s sigma_t/(sigma_s alpha_t): sigma_s (e^h - 1) = alpha_s sigma_t/alpha_t - sigma_s (Lu et al. eq. 3.7's
        // DDIM form) and alpha_s (e^{-h} - 1) = sigma_s alpha_t/sigma_t - alpha_s (DPM-Solver++).
        var schedule = Make(name);
        foreach (var (t, s) in Steps(schedule))
        {
            double alphaT = schedule.Alpha(t), sigmaT = schedule.Sigma(t), alphaS = schedule.Alpha(s), sigmaS = schedule.Sigma(s);
            var noise = StepCoefficients.NoiseForm(schedule, t, s);
            Close(alphaS / alphaT, noise.Ratio, 1e-14, $"{name} alpha ratio {t} -> {s}");
            Close(alphaS * sigmaT / alphaT - sigmaS, noise.Phi, 1e-9, $"{name} sigma_s(e^h - 1) {t} -> {s}");
            var data = StepCoefficients.DataForm(schedule, t, s);
            Close(sigmaS / sigmaT, data.Ratio, 1e-14, $"{name} sigma ratio {t} -> {s}");
            Close(sigmaS * alphaT / sigmaT - alphaS, data.Phi, 1e-9, $"{name} alpha_s(e^-h - 1) {t} -> {s}");
        }
    }

    [Fact]
    public void Exponential_integrator_coefficients_take_their_limits_at_sigma_s_zero()
    {
        var schedule = Schedules.VpLinear();
        double t = 0.37;
        Assert.Equal(0.0, schedule.Sigma(0.0));
        Close(schedule.Sigma(t) / schedule.Alpha(t), StepCoefficients.NoiseForm(schedule, t, 0.0).Phi, 1e-14, "sigma_t/alpha_t");
        Close(-1.0, StepCoefficients.DataForm(schedule, t, 0.0).Phi, 1e-14, "-alpha_0");
    }

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void Intermediate_time_splits_the_step_in_log_snr_and_the_multistep_ratio_is_its_quotient(string name)
    {
        var schedule = Make(name);
        double Lambda(double u) => Math.Log(schedule.Alpha(u) / schedule.Sigma(u));
        var steps = Steps(schedule).ToArray();
        foreach (var (t, s) in steps)
            foreach (var r in new[] { 1.0 / 3, 0.5, 2.0 / 3 })
            {
                // Bisection on lambda(u) = lambda_t + r h, not through the schedule's lambda^-1.
                double target = Lambda(t) + r * (Lambda(s) - Lambda(t)), lo = s, hi = t;
                for (int k = 0; k < 200; k++) { double m = 0.5 * (lo + hi); if (Lambda(m) > target) lo = m; else hi = m; }
                Close(0.5 * (lo + hi), StepCoefficients.IntermediateTime(schedule, t, s, r), 1e-9, $"{name} u(r={r}, {t} -> {s})");
            }
        for (int k = 1; k < steps.Length; k++)
        {
            double previous = steps[k - 1].T, t = steps[k].T, s = steps[k].S;
            Close((Lambda(t) - Lambda(previous)) / (Lambda(s) - Lambda(t)), StepCoefficients.MultistepRatio(schedule, previous, t, s),
                1e-9, $"{name} r({previous}, {t}, {s})");
        }
    }

    [Fact]
    public void Phi2_is_its_definition_and_its_power_series()
    {
        foreach (var h in new[] { 3.0, 0.7, 0.05, 1.01e-3, -0.4 })
            Close((Math.Exp(h) - 1) / h - 1, StepCoefficients.Phi2(h), 1e-9, $"phi2({h})");
        foreach (var h in new[] { 9.9e-4, 1e-6, -3e-4 })
            Close(SeriesPhi2(h), StepCoefficients.Phi2(h), 1e-13, $"phi2({h}) series");
    }

    /// <summary>phi2(h) = sum over k &gt;= 2 of h^{k-1}/k!.</summary>
    private static double SeriesPhi2(double h)
    {
        double sum = 0, power = 1, factorial = 1;
        for (int k = 2; k < 20; k++) { power *= h; factorial *= k; sum += power / factorial; }
        return sum;
    }
}
