using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// The scalar coefficients of the step formulas, as functions of (schedule, t, s[, parameters]) only: the one home
/// of each, called by the CPU samplers and by the tensor samplers in Gpu alike, so the two cannot drift apart.
/// A step goes from t to s (s nearer the data); h = lambda_s - lambda_t with lambda = log(alpha/sigma).
/// </summary>
public static class StepCoefficients
{
    /// <summary>h = lambda(to) - lambda(from), &gt; 0 for a step towards less noise (S5.6).</summary>
    public static double LambdaStep(Schedule schedule, double from, double to)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Lambda(to) - schedule.Lambda(from);
    }

    /// <summary>sigma_s (e^h - 1) (S5.6 [51], the noise form's coefficient of eps), with expm1 so small h loses nothing,
    /// and its limit alpha_s sigma_t / alpha_t at sigma_s = 0 (lambda_s = infinity).</summary>
    public static double SigmaExpm1(Schedule schedule, double t, double s)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double sigmaS = schedule.Sigma(s);
        if (sigmaS == 0) return schedule.Alpha(s) * schedule.Sigma(t) / schedule.Alpha(t);
        return sigmaS * Numeric.ExpM1(LambdaStep(schedule, t, s));
    }

    /// <summary>The first-order noise form x_s = Ratio x - Phi eps (S5.6, C5.5 with eps frozen):
    /// Ratio = alpha_s/alpha_t, Phi = sigma_s (e^h - 1) (<see cref="SigmaExpm1"/>).</summary>
    public static (double Ratio, double Phi) NoiseForm(Schedule schedule, double t, double s)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return (schedule.Alpha(s) / schedule.Alpha(t), SigmaExpm1(schedule, t, s));
    }

    /// <summary>The first-order data form x_s = Ratio x - Phi x0 (DPM-Solver++, S5.7): Ratio = sigma_s/sigma_t,
    /// Phi = alpha_s (e^{-h} - 1), which is -alpha_s at sigma_s = 0 (h = infinity, x_s = alpha_s x0).</summary>
    public static (double Ratio, double Phi) DataForm(Schedule schedule, double t, double s)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double sigmaS = schedule.Sigma(s);
        double phi = sigmaS == 0 ? -schedule.Alpha(s) : schedule.Alpha(s) * Numeric.ExpM1(-LambdaStep(schedule, t, s));
        return (sigmaS / schedule.Sigma(t), phi);
    }

    /// <summary>The intermediate time u of a singlestep solver (S5.7; DPM-Solver-2/3, DPM-Solver++(2S)):
    /// lambda(u) = lambda_t + r (lambda_s - lambda_t). Needs sigma_s &gt; 0 and a schedule with a closed-form lambda^-1.</summary>
    public static double IntermediateTime(Schedule schedule, double t, double s, double r)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double lambdaT = schedule.Lambda(t);
        return schedule.LambdaInverse(lambdaT + r * (schedule.Lambda(s) - lambdaT));
    }

    /// <summary>DPM-Solver++(2M)'s step ratio r = (lambda_t - lambda_prev)/(lambda_s - lambda_t) (S5.7; Lu et al. 2022b,
    /// Algorithm 2), for the previous evaluation at time prev.</summary>
    public static double MultistepRatio(Schedule schedule, double previous, double t, double s) =>
        LambdaStep(schedule, previous, t) / LambdaStep(schedule, t, s);

    /// <summary>phi_2(h) = (e^h - 1)/h - 1 (DPM-Solver-3, S5.7), by its Taylor series h/2 + h^2/6 + ... where the
    /// quotient would cancel.</summary>
    public static double Phi2(double h)
    {
        if (Math.Abs(h) > 1e-3) return Numeric.ExpM1(h) / h - 1.0;
        return h * (1.0 / 2 + h * (1.0 / 6 + h * (1.0 / 24 + h * (1.0 / 120))));
    }

    /// <summary>DDIM(eta)'s coefficients for a step t -&gt; s (S7.9, [84]-[87]): the fresh-noise scale
    /// sigma_eta = eta sigma_s sqrt(1 - (alpha_t sigma_s / (alpha_s sigma_t))^2) and the coefficient
    /// sqrt(sigma_s^2 - sigma_eta^2) of the predicted noise, in x_s = alpha_s x0^ + NoiseCoefficient eps + SigmaEta z.</summary>
    /// <remarks>On a VP schedule sigma_eta is Song et al.'s eta sqrt((1 - abar_s)/(1 - abar_t)) sqrt(1 - abar_t/abar_s).</remarks>
    public static (double SigmaEta, double NoiseCoefficient) Ddim(Schedule schedule, double t, double s, double eta)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double alphaT = schedule.Alpha(t), sigmaT = schedule.Sigma(t), alphaS = schedule.Alpha(s), sigmaS = schedule.Sigma(s);
        double ratio = alphaT * sigmaS / (alphaS * sigmaT);
        double sigmaEta = eta * sigmaS * Math.Sqrt(Math.Max(0.0, 1.0 - ratio * ratio));
        return (sigmaEta, Math.Sqrt(Math.Max(0.0, sigmaS * sigmaS - sigmaEta * sigmaEta)));
    }

    /// <summary>DDPM ancestral step t -&gt; s on a VP schedule (S7.7, [79]-[80], [83]):
    /// x_s = Scale (x_t - EpsCoefficient eps) + NoiseScale z with beta = 1 - abar_t/abar_s (computed as
    /// -expm1(2 log(alpha_t/alpha_s)) against cancellation), Scale = 1/sqrt(1 - beta), EpsCoefficient = beta/sigma_t,
    /// NoiseScale^2 = beta (0 on the last step, as in Ho et al.) or beta~ = sigma_s^2 beta / sigma_t^2 (C7.6).</summary>
    public static (double Scale, double EpsCoefficient, double NoiseScale) Ddpm(Schedule schedule, double t, double s,
                                                                                  DdpmVariance variance, bool lastStep)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double sigmaT = schedule.Sigma(t), sigmaS = schedule.Sigma(s);
        double alphaStep = Math.Pow(schedule.Alpha(t) / schedule.Alpha(s), 2);
        double beta = -Numeric.ExpM1(2.0 * (Math.Log(schedule.Alpha(t)) - Math.Log(schedule.Alpha(s))));
        double noiseVariance = variance == DdpmVariance.BetaTilde ? sigmaS * sigmaS * beta / (sigmaT * sigmaT)
            : lastStep ? 0.0 : beta;
        return (1.0 / Math.Sqrt(alphaStep), beta / sigmaT, Math.Sqrt(noiseVariance));
    }
}
