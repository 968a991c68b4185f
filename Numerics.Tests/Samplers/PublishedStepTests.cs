using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>
/// Each registered fixed-step sampler against its published update, written out here from alpha, sigma, f, g2 and
/// Theory's <see cref="MixtureOracle"/> (not the samplers' model view, step kernels or coefficients), run on one grid
/// with irregular step ratios (1.0001 to 50) that ends at sigma = 0, with the same replayed noise. Every state is
/// compared, so a coefficient that only matters when consecutive steps differ (DPM-Solver++(2M)'s r = h_prev/h, whose
/// first-order effect telescopes and leaves the order intact), a wrong evaluation time, and the final-step branches
/// (Heun's Euler step, the first-order exponential step, DDPM's noise-free last step) are all seen.
/// </summary>
public class PublishedStepTests
{
    private static readonly Schedule Vp = Schedules.VpLinear();
    private static readonly MixtureOracle Oracle = new(Fixtures.Mixture2D(), Vp);
    /// <summary>Ends at sigma = 0 (the final-step branches) or at t_min = 2e-4 (a last step like any other: a sampler that
    /// takes its final-step branch there, e.g. Heun's Euler step, is wrong but keeps its order).</summary>
    private static readonly double[] ToZero = [1.0, 0.83, 0.61, 0.6099, 0.37, 0.12, 0.05, 0.011, 0.0104, 2e-4, 0.0];
    private static readonly double[] ToTMin = ToZero[..^1];
    private static readonly double[] Start = [0.4, -1.3];

    private static double A(double t) => Vp.Alpha(t);
    private static double S(double t) => Vp.Sigma(t);
    private static double Lambda(double t) => Math.Log(A(t) / S(t));

    private static double[] Score(double[] x, double t) => Oracle.Score(x, t);
    private static double[] Eps(double[] x, double t) => Score(x, t).Select(v => -S(t) * v).ToArray();
    private static double[] X0(double[] x, double t)
    {
        var score = Score(x, t);
        return x.Select((v, j) => (v + S(t) * S(t) * score[j]) / A(t)).ToArray();
    }

    /// <summary>The PF-ODE velocity in forward time, f x - g2 score / 2 (S5.2).</summary>
    private static double[] Ode(double[] x, double t)
    {
        var score = Score(x, t);
        return x.Select((v, j) => Vp.Drift(t) * v - 0.5 * Vp.G2(t) * score[j]).ToArray();
    }

    private static double[] Combine(double a, double[] x, double b, double[] y) => x.Select((v, j) => a * v + b * y[j]).ToArray();

    /// <summary>lambda^-1 by bisection on lambda(u) = lambda_t + r (lambda_s - lambda_t), not the schedule's inverse.</summary>
    private static double TimeAtLambdaFraction(double t, double s, double r)
    {
        double target = Lambda(t) + r * (Lambda(s) - Lambda(t)), lo = s, hi = t;
        for (int k = 0; k < 200; k++) { double m = 0.5 * (lo + hi); if (Lambda(m) > target) lo = m; else hi = m; }
        return 0.5 * (lo + hi);
    }

    /// <summary>DPM-Solver's first-order step t -> s in noise form, sigma_s (e^h - 1) written as alpha_s sigma_t/alpha_t - sigma_s.</summary>
    private static double[] NoiseStep(double[] x, double t, double s, double[] eps) =>
        Combine(A(s) / A(t), x, -(A(s) * S(t) / A(t) - S(s)), eps);

    /// <summary>DPM-Solver++'s first-order step in data form, alpha_s (e^-h - 1) written as sigma_s alpha_t/sigma_t - alpha_s.</summary>
    private static double[] DataStep(double[] x, double t, double s, double[] x0) =>
        Combine(S(s) / S(t), x, -(S(s) * A(t) / S(t) - A(s)), x0);

    private static double Phi2(double h) => Math.Abs(h) > 1e-3 ? (Math.Exp(h) - 1) / h - 1 : h / 2 + h * h / 6 + h * h * h / 24;

    /// <summary>One published step from x at t to s; noise(k) is the k-th replayed draw of the step (if any).</summary>
    private delegate double[] PublishedStep(int i, double[] x, double t, double s, Func<double[]> noise, Steps history);

    /// <summary>What a step may read besides its state: the grid and the data predictions of earlier steps.</summary>
    private sealed record Steps(double[] Times, List<double[]> Predictions)
    {
        public bool IsLast(int i) => i == Times.Length - 2;
    }

    private static readonly Dictionary<string, PublishedStep> Published = new()
    {
        // S5.2: x_s = x_t - h F(x_t, t).
        ["pf-ode-euler"] = (i, x, t, s, noise, _) => Combine(1, x, -(t - s), Ode(x, t)),
        // Karras et al. (2022) Alg. 1: Euler predictor, trapezoidal corrector unless sigma_s = 0.
        ["heun"] = (i, x, t, s, noise, _) =>
        {
            var d = Ode(x, t);
            var euler = Combine(1, x, -(t - s), d);
            if (S(s) == 0) return euler;
            var d2 = Ode(euler, s);
            return x.Select((v, j) => v - 0.5 * (t - s) * (d[j] + d2[j])).ToArray();
        },
        // S5.1: x_s = x_t + h (-f x + g2 score) + sqrt(g2 h) z.
        ["reverse-sde-em"] = (i, x, t, s, noise, _) =>
        {
            double h = t - s;
            var score = Score(x, t);
            var z = noise();
            return x.Select((v, j) => v + h * (-Vp.Drift(t) * v + Vp.G2(t) * score[j]) + Math.Sqrt(Vp.G2(t) * h) * z[j]).ToArray();
        },
        // C3.5: drift -f x + (1 + c) g2 score / 2, noise sqrt(c g2 h) z, c = 0.5.
        ["generalised-reverse(c=0.5)"] = (i, x, t, s, noise, _) =>
        {
            double h = t - s;
            var score = Score(x, t);
            var z = noise();
            return x.Select((v, j) => v + h * (-Vp.Drift(t) * v + 0.75 * Vp.G2(t) * score[j]) + Math.Sqrt(0.5 * Vp.G2(t) * h) * z[j]).ToArray();
        },
        // Lu et al. (2022) eq. 3.7 / Alg. 1 with k = 1.
        ["dpm-solver-1"] = (i, x, t, s, noise, _) => NoiseStep(x, t, s, Eps(x, t)),
        // Lu et al. (2022) DPM-Solver-2 (r1 = 1/2): u = step to s1 with eps(x, t); x_s = step to s with eps(u, s1).
        // Final step to sigma = 0 (lambda = inf): first order.
        ["dpm-solver-2"] = (i, x, t, s, noise, _) =>
        {
            var eps = Eps(x, t);
            if (S(s) == 0) return NoiseStep(x, t, s, eps);
            double s1 = TimeAtLambdaFraction(t, s, 0.5);
            return NoiseStep(x, t, s, Eps(NoiseStep(x, t, s1, eps), s1));
        },
        // Lu et al. (2022) DPM-Solver-3 (r1 = 1/3, r2 = 2/3).
        ["dpm-solver-3"] = (i, x, t, s, noise, _) =>
        {
            const double r1 = 1.0 / 3, r2 = 2.0 / 3;
            var eps0 = Eps(x, t);
            if (S(s) == 0) return NoiseStep(x, t, s, eps0);
            double h = Lambda(s) - Lambda(t), s1 = TimeAtLambdaFraction(t, s, r1), s2 = TimeAtLambdaFraction(t, s, r2);
            var u1 = NoiseStep(x, t, s1, eps0);
            var d1 = Combine(1, Eps(u1, s1), -1, eps0);
            var u2 = Combine(1, NoiseStep(x, t, s2, eps0), -S(s2) * (r2 / r1) * Phi2(r2 * h), d1);
            var d2 = Combine(1, Eps(u2, s2), -1, eps0);
            return Combine(1, NoiseStep(x, t, s, eps0), -S(s) / r2 * Phi2(h), d2);
        },
        // Lu et al. (2022b) Alg. 1 (DPM-Solver++(2S), r = 1/2): D = x0(u, s1).
        ["dpm-solver++(2s)"] = (i, x, t, s, noise, _) =>
        {
            var x0 = X0(x, t);
            if (S(s) == 0) return DataStep(x, t, s, x0);
            double s1 = TimeAtLambdaFraction(t, s, 0.5);
            return DataStep(x, t, s, X0(DataStep(x, t, s1, x0), s1));
        },
        // Lu et al. (2022b) Alg. 2 (DPM-Solver++(2M)): r_i = h_{i-1}/h_i, D = (1 + 1/(2 r)) x0_{i-1} - 1/(2 r) x0_{i-2};
        // the first step and the final step to sigma = 0 are first order (diffusers' lower_order_final).
        ["dpm-solver++(2m)"] = (i, x, t, s, noise, history) =>
        {
            var x0 = X0(x, t);
            var d = x0;
            if (i > 0 && S(s) > 0)
            {
                double previous = history.Times[i - 1];
                double r = (Lambda(t) - Lambda(previous)) / (Lambda(s) - Lambda(t));
                d = Combine(1 + 1 / (2 * r), x0, -1 / (2 * r), history.Predictions[^1]);
            }
            history.Predictions.Add(x0);
            return DataStep(x, t, s, d);
        },
        // Song et al. (2021a) eq. 12 with eq. 16's sigma_eta, in abar = alpha^2 (no draw at eta = 0).
        ["ddim(eta=0)"] = (i, x, t, s, noise, _) => Song(x, t, s, 0.0, noise),
        ["ddim(eta=0.5)"] = (i, x, t, s, noise, _) => Song(x, t, s, 0.5, noise),
        ["ddim(eta=1)"] = (i, x, t, s, noise, _) => Song(x, t, s, 1.0, noise),
        // Ho et al. (2020) Alg. 2 for the chain step abar_s -> abar_t: sigma^2 = beta, no noise at the last step.
        ["ddpm(beta)"] = (i, x, t, s, noise, steps) => Ho(x, t, s, noise, tilde: false, last: steps.IsLast(i)),
        ["ddpm(beta~)"] = (i, x, t, s, noise, steps) => Ho(x, t, s, noise, tilde: true, last: steps.IsLast(i)),
    };

    private static double[] Song(double[] x, double t, double s, double eta, Func<double[]> noise)
    {
        double abarT = A(t) * A(t), abarS = A(s) * A(s);
        double sigmaEta = eta * Math.Sqrt((1 - abarS) / (1 - abarT)) * Math.Sqrt(1 - abarT / abarS);
        var eps = Eps(x, t);
        var z = eta > 0 ? noise() : new double[x.Length];
        return x.Select((v, j) =>
            Math.Sqrt(abarS) * (v - Math.Sqrt(1 - abarT) * eps[j]) / Math.Sqrt(abarT)
            + Math.Sqrt(Math.Max(0, 1 - abarS - sigmaEta * sigmaEta)) * eps[j] + sigmaEta * z[j]).ToArray();
    }

    private static double[] Ho(double[] x, double t, double s, Func<double[]> noise, bool tilde, bool last)
    {
        double abarT = A(t) * A(t), abarS = A(s) * A(s), alphaStep = abarT / abarS, beta = 1 - alphaStep;
        double variance = tilde ? (1 - abarS) * beta / (1 - abarT) : last ? 0 : beta;
        var eps = Eps(x, t);
        var z = noise();
        return x.Select((v, j) => (v - beta / Math.Sqrt(1 - abarT) * eps[j]) / Math.Sqrt(alphaStep) + Math.Sqrt(variance) * z[j]).ToArray();
    }

    public static TheoryData<string, bool> Names()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in Published.Keys)
            foreach (var toZero in new[] { true, false }) data.Add(name, toZero);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_step_is_the_published_update_on_a_grid_with_irregular_step_ratios(string name, bool toZero)
    {
        var times = toZero ? ToZero : ToTMin;
        var rng = new Xoshiro256(23);
        var draws = Enumerable.Range(0, times.Length).Select(_ => new[] { rng.NextGaussian(), rng.NextGaussian() }).ToList();
        var states = new List<double[]>();
        var noise = new ReplayNoise(draws);
        SamplerRegistry.ByName(name).Sample(Fixtures.Oracle(Fixtures.Mixture2D(), Vp), Start, new TimeGrid(times), noise,
            (i, t, x) => states.Add(x.ToArray()));
        Assert.Equal(times.Length - 1, states.Count);
        var y = (double[])Start.Clone();
        var history = new Steps(times, []);
        int next = 0;
        for (int i = 0; i + 1 < times.Length; i++)
        {
            y = Published[name](i, y, times[i], times[i + 1], () => draws[next++], history);
            double scale = 1 + y.Max(Math.Abs);
            Assert.True(Fixtures.MaxAbsDifference(y, states[i]) < 1e-9 * scale,
                $"{name} step {i} ({times[i]} -> {times[i + 1]}): published {string.Join(", ", y)}, sampler {string.Join(", ", states[i])}");
            // The published step drives the next one, so an error shows where it is made, not where it accumulates.
            y = states[i].ToArray();
        }
        Assert.Equal(next, noise.Consumed);
    }

    [Fact]
    public void The_grid_has_irregular_step_ratios_and_ends_at_sigma_zero()
    {
        var times = ToZero;
        double minRatio = double.MaxValue, maxRatio = 0;
        for (int i = 1; i + 2 < times.Length; i++)
        {
            double ratio = (Lambda(times[i]) - Lambda(times[i - 1])) / (Lambda(times[i + 1]) - Lambda(times[i]));
            minRatio = Math.Min(minRatio, ratio);
            maxRatio = Math.Max(maxRatio, ratio);
        }
        Assert.True(minRatio < 0.05 && maxRatio > 20, $"lambda step ratios {minRatio} .. {maxRatio}");
        Assert.Equal(0.0, S(times[^1]));
    }
}
