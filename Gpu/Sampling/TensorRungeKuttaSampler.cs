using TorchSharp;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>What a tensor ODE sampler integrates, in which time variable: the batched twin of Numerics'
/// <see cref="OdeTerm"/>, written with the same operations in the same order so both sides round alike.</summary>
public abstract class TensorOdeTerm
{
    /// <summary>tau(t): the term's time at forward time t.</summary>
    public abstract double TimeOf(TensorSamplingRun run, double t);

    /// <summary>F(y, tau) for the batch y [n, d] (one batched model evaluation).</summary>
    public abstract Tensor Evaluate(TensorSamplingRun run, Tensor y, double tau);

    /// <summary>The PF-ODE in forward time: F = f x - (1/2) g2 s (S5.2-S5.3), as <see cref="OdeTerm.ProbabilityFlow"/>.</summary>
    public static TensorOdeTerm ProbabilityFlow { get; } = new ProbabilityFlowTerm();

    /// <summary>Flow matching in generative time t_gen = T - t: F = -v at forward time T - t_gen (C8.6), as
    /// <see cref="OdeTerm.FlowMatching"/>.</summary>
    public static TensorOdeTerm FlowMatching { get; } = new FlowMatchingTerm();

    private sealed class ProbabilityFlowTerm : TensorOdeTerm
    {
        public override double TimeOf(TensorSamplingRun run, double t) => t;
        public override Tensor Evaluate(TensorSamplingRun run, Tensor y, double tau) => TensorStepMath.OdeDrift(run, y, tau);
    }

    private sealed class FlowMatchingTerm : TensorOdeTerm
    {
        public override double TimeOf(TensorSamplingRun run, double t) => run.Schedule.TMax - t;
        public override Tensor Evaluate(TensorSamplingRun run, Tensor y, double tau) => -run.View.Velocity(y, run.Schedule.TMax - tau);
    }
}

/// <summary>A fixed-step explicit Runge–Kutta tensor sampler: a <see cref="ButcherTableau"/> over a
/// <see cref="TensorOdeTerm"/>, step for step the rule of Numerics' <see cref="RungeKuttaSampler"/> (end stage at
/// exactly tau(t_{i+1}), Euler where the step ends at sigma = 0, zero coefficients skipped, sums in tableau order).</summary>
public abstract class TensorRungeKuttaSampler : TensorSampler
{
    private readonly ButcherTableau tableau;
    private readonly TensorOdeTerm term;
    private readonly bool hasEndStage;

    /// <summary>Declares the sampler.</summary>
    /// <param name="tableau">the method.</param>
    /// <param name="term">what is integrated, in which time variable.</param>
    protected TensorRungeKuttaSampler(ButcherTableau tableau, TensorOdeTerm term)
    {
        ArgumentNullException.ThrowIfNull(tableau);
        ArgumentNullException.ThrowIfNull(term);
        this.tableau = tableau;
        this.term = term;
        for (int s = 1; s < tableau.Stages; s++) hasEndStage |= tableau.C[s] == 1;
    }

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double from = term.TimeOf(run, run.Grid[i]), to = term.TimeOf(run, run.Grid[i + 1]), dt = to - from;
        var k = new Tensor[tableau.Stages];
        k[0] = term.Evaluate(run, x, from);
        if (hasEndStage && run.Schedule.Sigma(run.Grid[i + 1]) == 0) return x.Plus(k[0].Times(dt));
        for (int s = 1; s < tableau.Stages; s++)
        {
            var stage = x;
            var a = tableau.A[s];
            for (int r = 0; r < s; r++)
                if (a[r] != 0) stage = stage.Plus(k[r].Times(dt * a[r]));
            k[s] = term.Evaluate(run, stage, tableau.C[s] == 1 ? to : from + tableau.C[s] * dt);
        }
        var y = x;
        for (int s = 0; s < tableau.Stages; s++)
            if (tableau.B[s] != 0) y = y.Plus(k[s].Times(dt * tableau.B[s]));
        return ReferenceEquals(y, x) ? x.clone() : y;
    }
}
