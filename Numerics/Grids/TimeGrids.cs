using Verified.Theory;

namespace Verified.Numerics;

/// <summary>The time grids samplers use (each returns a validated, strictly decreasing <see cref="TimeGrid"/>).</summary>
public static class TimeGrids
{
    /// <summary>t_i uniform in t from tStart down to tEnd.</summary>
    public static TimeGrid UniformTime(Schedule schedule, int steps, double tStart, double tEnd) =>
        Build(schedule, steps, tStart, tEnd, u => tStart + u * (tEnd - tStart));

    /// <summary>Uniform in the half log-SNR lambda (DPM-Solver's choice): lambda_i = lambda(tStart) + u (lambda(tEnd) - lambda(tStart)), t_i = lambda^-1.</summary>
    public static TimeGrid UniformLambda(Schedule schedule, int steps, double tStart, double tEnd)
    {
        Check.NotNull(schedule, nameof(schedule));
        double l0 = schedule.Lambda(tStart), l1 = schedule.Lambda(tEnd);
        if (!double.IsFinite(l0) || !double.IsFinite(l1))
            throw new ArgumentOutOfRangeException(nameof(tEnd), tEnd, $"lambda must be finite at both ends (sigma > 0): lambda({tStart}) = {l0}, lambda({tEnd}) = {l1}");
        return Build(schedule, steps, tStart, tEnd, u => u == 0 ? tStart : u == 1 ? tEnd : schedule.LambdaInverse(l0 + u * (l1 - l0)));
    }

    /// <summary>EDM rho-spacing (Karras et al.): t_i = (tStart^(1/rho) + u (tEnd^(1/rho) - tStart^(1/rho)))^rho, rho = 7 by default.</summary>
    public static TimeGrid KarrasRho(Schedule schedule, int steps, double tStart, double tEnd, double rho = 7.0)
    {
        Check.Positive(rho, nameof(rho));
        if (!(tEnd > 0)) throw new ArgumentOutOfRangeException(nameof(tEnd), tEnd, $"tEnd must be > 0 for rho-spacing, got {tEnd}");
        double a = Math.Pow(tStart, 1.0 / rho), b = Math.Pow(tEnd, 1.0 / rho);
        return Build(schedule, steps, tStart, tEnd, u => Math.Pow(a + u * (b - a), rho));
    }

    /// <summary>DDPM/DDIM timesteps of a discrete chain (C7.2: step i at t_i = i/N), ending at t_0 = 0
    /// (abar_0 = 1) unless <paramref name="endAtZero"/> is false, in which case it ends at the last chosen step.</summary>
    public static TimeGrid Discrete(DiscreteSchedule chain, TimestepSpacing spacing, int steps, bool endAtZero = true, int stepsOffset = 0)
    {
        Check.NotNull(chain, nameof(chain));
        var indices = DiscreteSchedule.Timesteps(spacing, chain.Count, steps, stepsOffset);
        var times = indices.Select(i => chain.Time(i)).ToList();
        if (endAtZero && times[^1] > 0) times.Add(0.0);
        if (times.Count < 2)
            throw new ArgumentException($"a {steps}-step {spacing} grid ending at t = {times[0]} has no step; use endAtZero", nameof(endAtZero));
        return new TimeGrid(times.ToArray());
    }

    /// <summary>The Föllmer grid (CF.3): generative times s_i = abar_i of a chain, i.e. forward Föllmer times
    /// t = 1 - abar_i for the chosen steps, from the largest step down to i = 1 (and to t = 0 if asked).</summary>
    public static TimeGrid Follmer(DiscreteSchedule chain, TimestepSpacing spacing, int steps, bool endAtZero = false)
    {
        Check.NotNull(chain, nameof(chain));
        var indices = DiscreteSchedule.Timesteps(spacing, chain.Count, steps);
        var times = indices.Select(i => chain.OneMinusAlphaBar(i)).ToList();
        if (endAtZero) times.Add(0.0);
        return new TimeGrid(times.ToArray());
    }

    private static TimeGrid Build(Schedule schedule, int steps, double tStart, double tEnd, Func<double, double> at)
    {
        Check.NotNull(schedule, nameof(schedule));
        Check.AtLeast(steps, 1, nameof(steps));
        schedule.CheckTime(nameof(tStart), tStart);
        schedule.CheckTime(nameof(tEnd), tEnd);
        if (!(tStart > tEnd))
            throw new ArgumentException($"tStart must be > tEnd ({tEnd}), got {tStart}", nameof(tStart));
        var times = new double[steps + 1];
        for (int i = 0; i <= steps; i++) times[i] = at((double)i / steps);
        times[0] = tStart;
        times[steps] = tEnd;
        return new TimeGrid(times);
    }
}
