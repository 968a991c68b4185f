namespace Verified.Numerics;

/// <summary>
/// What an ODE sampler integrates and in which time variable (diffrax's "term"): dy/dtau = F(y, tau), with tau a
/// monotone function of the grid's forward time t. A solver (<see cref="RungeKuttaSampler"/>) steps from tau(t_i) to
/// tau(t_{i+1}) and knows nothing else about the model; a new time variable is a new term.
/// </summary>
public abstract class OdeTerm
{
    /// <summary>tau(t): the term's time at forward time t.</summary>
    public abstract double TimeOf(SamplingRun run, double t);

    /// <summary>F(y, tau) for the batch y (n d), written into output (one batched model evaluation).</summary>
    public abstract void Evaluate(SamplingRun run, ReadOnlySpan<double> y, double tau, Span<double> output);

    /// <summary>The probability-flow ODE in forward time (S5.2-S5.3): tau = t, F = f x - (1/2) g2 s(x, t), the
    /// reverse drift with no noise share (<see cref="StepMath.ReverseDrift"/> with c = 0).</summary>
    public static OdeTerm ProbabilityFlow { get; } = new ProbabilityFlowTerm();

    /// <summary>The flow-matching ODE in generative time (S8.7): tau = t_gen = T - t with T the schedule's TMax, and
    /// F = u_{t_gen}(x) = -v_{T - t_gen}(x), with v the forward PF-ODE velocity (C8.6: the FM ODE and the reverse
    /// PF-ODE are one ODE).</summary>
    public static OdeTerm FlowMatching { get; } = new FlowMatchingTerm();

    private sealed class ProbabilityFlowTerm : OdeTerm
    {
        public override double TimeOf(SamplingRun run, double t) => t;

        public override void Evaluate(SamplingRun run, ReadOnlySpan<double> y, double tau, Span<double> output) =>
            StepMath.ReverseDrift(run, y, tau, 0.0, output);
    }

    private sealed class FlowMatchingTerm : OdeTerm
    {
        public override double TimeOf(SamplingRun run, double t) => run.Schedule.TMax - t;

        public override void Evaluate(SamplingRun run, ReadOnlySpan<double> y, double tau, Span<double> output)
        {
            run.View.Velocity(y, run.Schedule.TMax - tau, output);
            for (int j = 0; j < output.Length; j++) output[j] = -output[j];
        }
    }
}
