namespace Verified.Numerics;

/// <summary>How the divergence div v_t = tr(dv/dx) is evaluated along the PF-ODE.</summary>
public enum DivergenceMethod
{
    /// <summary>The full trace: for the oracle d f - (1/2) g2 tr H in closed form (CL.1); for other models the sum of
    /// central differences of v along each coordinate (2 d extra evaluations).</summary>
    Exact,
    /// <summary>Hutchinson's estimator eps^T (dv/dx) eps with Rademacher eps, drawn once per solve from the seed and held
    /// fixed along the trajectory (FFJORD); unbiased for the integral. For the oracle eps^T J eps = f |eps|^2 - (1/2) g2
    /// eps^T H eps exactly; for other models a central difference of v along eps.</summary>
    Hutchinson,
}

/// <summary>log p_{t_min}(x) and its parts: LogDensity = LogPrior + DivergenceIntegral.</summary>
/// <param name="LogDensity">log p_{t_min}(x).</param>
/// <param name="LogPrior">log p_T(x_T) at the end of the flow.</param>
/// <param name="DivergenceIntegral">integral from t_min to T of div v_t(x_t) dt.</param>
/// <param name="Latent">x_T, the PF-ODE image of x.</param>
/// <param name="RightHandSideEvaluations">evaluations of the augmented right-hand side (velocity plus divergence).</param>
public sealed record LikelihoodResult(double LogDensity, double LogPrior, double DivergenceIntegral, double[] Latent, int RightHandSideEvaluations);

/// <summary>
/// Log-likelihood by the instantaneous change of variables along the PF-ODE (CL.1):
/// log p_{t_min}(x) = log p_T(x_T) + int_{t_min}^{T} div v_t(x_t) dt, v_t = f x - (1/2) g2 grad log p_t.
/// The augmented ODE d(x, l)/dt = (v_t(x), div v_t(x)) is solved FORWARDS in t, from the data point x at t_min up to T,
/// by adaptive Dormand–Prince RK45; the prior log p_T is supplied (for the oracle: its exact log-density).
/// </summary>
public static class PfOdeLikelihood
{
    // Central-difference step relative to 1 + |x|_inf: near cbrt(machine epsilon), balancing truncation and round-off.
    private const double DifferenceStep = 1e-5;

    /// <summary>log p_{tMin}(x) for any model, with a supplied prior log-density at tMax.</summary>
    /// <param name="model">any model (read as a velocity).</param>
    /// <param name="x">the point, length d, finite.</param>
    /// <param name="tMin">its time, in the schedule's domain with sigma(tMin) &gt; 0.</param>
    /// <param name="tMax">the end of the flow, &gt; tMin.</param>
    /// <param name="logPrior">log p_{tMax}.</param>
    /// <param name="method">exact trace or Hutchinson.</param>
    /// <param name="seed">seeds the Hutchinson probe.</param>
    /// <param name="rtol">RK45 relative tolerance, &gt; 0.</param>
    /// <param name="atol">RK45 absolute tolerance, &gt; 0.</param>
    public static LikelihoodResult Compute(IDiffusionModel model, double[] x, double tMin, double tMax, Func<double[], double> logPrior,
        DivergenceMethod method = DivergenceMethod.Exact, ulong seed = 0, double rtol = 1e-8, double atol = 1e-10)
    {
        Check.NotNull(model, nameof(model));
        Check.NotNull(logPrior, nameof(logPrior));
        Check.State(x, model, nameof(x));
        model.Schedule.CheckTime(nameof(tMin), tMin);
        model.Schedule.CheckTime(nameof(tMax), tMax);
        if (!(tMax > tMin)) throw new ArgumentException($"tMax must be > tMin ({tMin}), got {tMax}", nameof(tMax));
        if (!(model.Schedule.Sigma(tMin) > 0)) throw new ArgumentOutOfRangeException(nameof(tMin), tMin, "tMin must have sigma(tMin) > 0 (the PF-ODE velocity is singular at sigma = 0)");
        if (!Enum.IsDefined(method)) throw new ArgumentOutOfRangeException(nameof(method), method, "method must be Exact or Hutchinson");
        int d = x.Length;
        var probe = method == DivergenceMethod.Hutchinson ? Rademacher(d, seed) : null;
        var divergence = Divergence(model, probe);
        var velocity = new ModelView(model);
        var state = new double[d + 1];
        x.CopyTo(state, 0);
        int evaluations = AdaptiveRungeKutta.Integrate(ButcherTableau.DormandPrince, (t, y, output) =>
        {
            var point = y[..d];
            velocity.Velocity(point, t, output[..d]);
            output[d] = divergence(point.ToArray(), t);
        }, state, tMin, tMax, rtol, atol);
        var latent = state[..d];
        double prior = logPrior(latent);
        return new LikelihoodResult(prior + state[d], prior, state[d], latent, evaluations);
    }

    /// <summary>log p_{tMin}(x) for the oracle, with its exact log p_{tMax} as the prior and its closed-form Hessian.</summary>
    /// <param name="model">the oracle.</param>
    /// <param name="x">the point, length d, finite.</param>
    /// <param name="tMin">its time, sigma(tMin) &gt; 0.</param>
    /// <param name="tMax">the end of the flow, &gt; tMin.</param>
    /// <param name="method">exact trace or Hutchinson.</param>
    /// <param name="seed">seeds the Hutchinson probe.</param>
    /// <param name="rtol">RK45 relative tolerance, &gt; 0.</param>
    /// <param name="atol">RK45 absolute tolerance, &gt; 0.</param>
    public static LikelihoodResult Compute(OracleModel model, double[] x, double tMin, double tMax,
        DivergenceMethod method = DivergenceMethod.Exact, ulong seed = 0, double rtol = 1e-8, double atol = 1e-10)
    {
        Check.NotNull(model, nameof(model));
        return Compute((IDiffusionModel)model, x, tMin, tMax, latent => model.Oracle.LogDensity(latent, tMax), method, seed, rtol, atol);
    }

    private static Func<double[], double, double> Divergence(IDiffusionModel model, double[]? probe)
    {
        var schedule = model.Schedule;
        int d = model.Dimension;
        if (model is OracleModel oracle)
        {
            if (probe is null) return (x, t) => oracle.Oracle.VelocityDivergence(x, t);
            return (x, t) =>
            {
                var h = oracle.Oracle.Hessian(x, t);
                double quadratic = 0;
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) quadratic += probe[a] * h[a, b] * probe[b];
                return schedule.Drift(t) * d - 0.5 * schedule.G2(t) * quadratic;
            };
        }
        var view = new ModelView(model);
        return (x, t) =>
        {
            double step = DifferenceStep * (1 + x.Max(Math.Abs));
            var plus = new double[d];
            var minus = new double[d];
            var vPlus = new double[d];
            var vMinus = new double[d];
            double trace = 0;
            foreach (var direction in probe is null ? Enumerable.Range(0, d).Select(j => Unit(d, j)) : [probe])
            {
                for (int j = 0; j < d; j++) { plus[j] = x[j] + step * direction[j]; minus[j] = x[j] - step * direction[j]; }
                view.Velocity(plus, t, vPlus);
                view.Velocity(minus, t, vMinus);
                for (int j = 0; j < d; j++) trace += direction[j] * (vPlus[j] - vMinus[j]) / (2 * step);
            }
            return trace;
        };
    }

    private static double[] Unit(int d, int j)
    {
        var e = new double[d];
        e[j] = 1;
        return e;
    }

    private static double[] Rademacher(int d, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        return Enumerable.Range(0, d).Select(_ => (rng.NextUInt64() >> 63) == 0 ? -1.0 : 1.0).ToArray();
    }
}
