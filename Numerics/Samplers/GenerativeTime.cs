namespace Verified.Numerics;

/// <summary>
/// Generative time for flow matching (section 8): t_gen = T - t with T the schedule's TMax, and the marginal
/// velocity u_{t_gen}(x) = -v_{T - t_gen}(x), where v is the forward PF-ODE velocity (C8.6: the FM ODE and the
/// reverse PF-ODE are one ODE).
/// </summary>
public static class GenerativeTime
{
    /// <summary>t_gen = T - t for a forward time t.</summary>
    public static double FromForward(SamplingRun run, double t) => run.Schedule.TMax - t;

    /// <summary>u_{t_gen}(x) = -v_{T - t_gen}(x), read through the model view (one evaluation).</summary>
    public static void Velocity(SamplingRun run, ReadOnlySpan<double> x, double tGen, Span<double> output)
    {
        run.View.Velocity(x, run.Schedule.TMax - tGen, output);
        for (int j = 0; j < output.Length; j++) output[j] = -output[j];
    }
}
