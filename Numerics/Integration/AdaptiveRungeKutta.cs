namespace Verified.Numerics;

/// <summary>The right-hand side dy/dt = F(t, y) of an ODE, written into output.</summary>
public delegate void OdeRightHandSide(double t, ReadOnlySpan<double> y, Span<double> output);

/// <summary>
/// Adaptive explicit Runge–Kutta integration with an embedded error estimate (Hairer, Nørsett and Wanner, II.4):
/// a step is accepted when the RMS of err_i / (atol + rtol max(|y_i|, |y_new_i|)) is at most 1, and the next step is
/// h * clamp(0.9 err^(-1/(q+1)), 0.2, 5) with q the embedded order (<see cref="ButcherTableau.EmbeddedOrder"/>: the
/// estimate err is O(h^(q+1))), while the solution carried forward is the order-p one (local extrapolation). Works in either time direction; the end point is
/// hit exactly.
/// </summary>
public static class AdaptiveRungeKutta
{
    private const int MaxSteps = 1_000_000;

    /// <summary>Integrates y from t0 to t1 in place; returns the number of right-hand-side evaluations.</summary>
    /// <param name="tableau">an embedded tableau (BHat and EmbeddedOrder given), e.g. <see cref="ButcherTableau.DormandPrince"/>.</param>
    /// <param name="rhs">F(t, y).</param>
    /// <param name="y">the state at t0 on entry, at t1 on return.</param>
    /// <param name="t0">start time.</param>
    /// <param name="t1">end time (either side of t0).</param>
    /// <param name="rtol">relative tolerance, finite and &gt; 0.</param>
    /// <param name="atol">absolute tolerance, finite and &gt; 0.</param>
    /// <exception cref="InvalidOperationException">the step size underflows or the step budget is exhausted.</exception>
    public static int Integrate(ButcherTableau tableau, OdeRightHandSide rhs, Span<double> y, double t0, double t1, double rtol, double atol)
    {
        Check.NotNull(tableau, nameof(tableau));
        if (tableau.BHat is not { } bHat || tableau.EmbeddedOrder is not int embeddedOrder)
            throw new ArgumentException($"{tableau.Name} has no embedded solution, so it gives no error estimate for step control", nameof(tableau));
        Check.NotNull(rhs, nameof(rhs));
        Check.Positive(rtol, nameof(rtol));
        Check.Positive(atol, nameof(atol));
        Check.Finite(t0, nameof(t0));
        Check.Finite(t1, nameof(t1));
        if (t0 == t1) return 0;
        int n = y.Length, stages = tableau.Stages, evaluations = 0;
        double direction = Math.Sign(t1 - t0), span = Math.Abs(t1 - t0);
        var k = new double[stages][];
        for (int s = 0; s < stages; s++) k[s] = new double[n];
        var stage = new double[n];
        var proposal = new double[n];
        double t = t0, h = span * 0.01 * Math.Pow(rtol / 1e-6, 0.2);
        h = Math.Min(h, span);
        rhs(t, y, k[0]);
        evaluations++;
        for (int step = 0; step < MaxSteps; step++)
        {
            double remaining = Math.Abs(t1 - t);
            bool last = h >= remaining;
            if (last) h = remaining;
            double dt = direction * h;
            for (int s = 1; s < stages; s++)
            {
                var a = tableau.A[s];
                for (int j = 0; j < n; j++)
                {
                    double acc = y[j];
                    for (int r = 0; r < s; r++) acc += dt * a[r] * k[r][j];
                    stage[j] = acc;
                }
                rhs(last && tableau.C[s] == 1 ? t1 : t + tableau.C[s] * dt, stage, k[s]);
                evaluations++;
            }
            double errorSquares = 0;
            for (int j = 0; j < n; j++)
            {
                double sol = y[j], err = 0;
                for (int s = 0; s < stages; s++)
                {
                    sol += dt * tableau.B[s] * k[s][j];
                    err += dt * (tableau.B[s] - bHat[s]) * k[s][j];
                }
                proposal[j] = sol;
                double scale = atol + rtol * Math.Max(Math.Abs(y[j]), Math.Abs(sol));
                errorSquares += err / scale * (err / scale);
            }
            double error = Math.Sqrt(errorSquares / n);
            if (!double.IsFinite(error))
                throw new InvalidOperationException($"{tableau.Name}: non-finite error estimate at t = {t} with step {dt}; the right-hand side is not finite there");
            double factor = error == 0 ? 5.0 : Math.Clamp(0.9 * Math.Pow(error, -1.0 / (embeddedOrder + 1)), 0.2, 5.0);
            if (error <= 1)
            {
                proposal.CopyTo(y);
                t = last ? t1 : t + dt;
                if (last) return evaluations;
                // First same as last: the final stage was evaluated at the accepted point (c = 1 with b = a[last]).
                if (tableau.C[stages - 1] == 1 && tableau.B[stages - 1] == 0) (k[0], k[stages - 1]) = (k[stages - 1], k[0]);
                else { rhs(t, y, k[0]); evaluations++; }
            }
            h *= factor;
            if (h < 1e-14 * span)
                throw new InvalidOperationException($"{tableau.Name}: step size underflow at t = {t} (h = {h:E2}); tolerances rtol = {rtol}, atol = {atol} are too tight or the problem is singular there");
        }
        throw new InvalidOperationException($"{tableau.Name}: more than {MaxSteps} steps from {t0} to {t1}; loosen rtol/atol");
    }
}
