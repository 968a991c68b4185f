namespace Verified.Numerics;

/// <summary>
/// A fixed-step explicit Runge–Kutta sampler: a <see cref="ButcherTableau"/> over an <see cref="OdeTerm"/>. Per step,
/// with dt = tau(t_{i+1}) - tau(t_i): k_s = F(y + dt sum_r a_sr k_r, tau_i + c_s dt), y' = y + dt sum_s b_s k_s.
/// A subclass only names the method, its equation, its tableau and its term; the declared orders are the
/// tableau's order and the NFE per step its number of stages.
/// </summary>
/// <remarks>A stage at the step's end (c = 1) is evaluated exactly at tau(t_{i+1}). Where that end has sigma = 0 the
/// model cannot be evaluated there, so that step is Euler (as in EDM). Stage sums are accumulated stage by stage in
/// tableau order, zero coefficients skipped.</remarks>
public abstract class RungeKuttaSampler : Sampler
{
    private readonly OdeTerm term;
    private readonly int stages;
    private readonly bool hasEndStage;
    // The tableau's coefficients as plain arrays: the step reads them in its inner loop.
    private readonly double[] c, b;
    private readonly double[][] a;

    /// <summary>Declares the sampler.</summary>
    /// <param name="name">registry name.</param>
    /// <param name="equation">THEORY's ID and equation numbers.</param>
    /// <param name="tableau">the method.</param>
    /// <param name="term">what is integrated, in which time variable.</param>
    protected RungeKuttaSampler(string name, string equation, ButcherTableau tableau, OdeTerm term)
    {
        Check.NotNull(tableau, nameof(tableau));
        Check.NotNull(term, nameof(term));
        this.term = term;
        stages = tableau.Stages;
        c = [.. tableau.C];
        b = [.. tableau.B];
        a = [.. tableau.A.Select(row => row.ToArray())];
        for (int s = 1; s < stages; s++) hasEndStage |= c[s] == 1;
        Info = new(name, equation, IsStochastic: false, StrongOrder: tableau.Order, WeakOrder: tableau.Order,
            EvaluationsPerStep: tableau.Stages);
    }

    /// <inheritdoc/>
    public override SamplerInfo Info { get; }

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        var work = run.State(static (length, stages) => new Stages(length, stages), stages);
        double from = term.TimeOf(run, run.Grid[i]), to = term.TimeOf(run, run.Grid[i + 1]), dt = to - from;
        var k = work.K;
        term.Evaluate(run, x, from, k[0]);
        if (hasEndStage && run.Schedule.Sigma(run.Grid[i + 1]) == 0)
        {
            StepMath.AddScaled(x, dt, k[0]);
            return;
        }
        for (int s = 1; s < stages; s++)
        {
            x.CopyTo(work.Stage, 0);
            var row = a[s];
            for (int r = 0; r < s; r++)
                if (row[r] != 0) StepMath.AddScaled(work.Stage, dt * row[r], k[r]);
            term.Evaluate(run, work.Stage, c[s] == 1 ? to : from + c[s] * dt, k[s]);
        }
        for (int s = 0; s < stages; s++)
            if (b[s] != 0) StepMath.AddScaled(x, dt * b[s], k[s]);
    }

    /// <summary>The stage derivatives k_s and the stage state, allocated once per run.</summary>
    private sealed class Stages
    {
        public Stages(int length, int stages)
        {
            K = new double[stages][];
            for (int s = 0; s < stages; s++) K[s] = new double[length];
            Stage = new double[length];
        }

        public double[][] K { get; }
        public double[] Stage { get; }
    }
}
