using Verified.Numerics;

namespace Example;

/// <summary>
/// Ralston's method (the two-stage explicit Runge-Kutta rule with the smallest error bound) on the probability-flow
/// ODE dx/dt = v(x, t), stepping from t to s = t + h (h &lt; 0):
/// k1 = v(x, t); k2 = v(x + (2/3) h k1, t + (2/3) h); x' = x + h (k1/4 + 3 k2/4). Order 2, two model calls per step.
/// Verified does not ship it; this repository verifies it with Verified's packages.
/// </summary>
public sealed class Ralston : Sampler
{
    private readonly bool bug;

    /// <summary>Ralston's method. The deliberate bug is switched on by the environment variable RALSTON_BUG=1, so that
    /// one plug-in assembly can be measured right and wrong by the verified tool.</summary>
    public Ralston() : this(Environment.GetEnvironmentVariable("RALSTON_BUG") == "1") { }

    /// <summary>Ralston's method, or with <paramref name="bug"/> the wrong variant: the second stage is evaluated at time
    /// t instead of t + (2/3) h, which loses the v_t term of the local Taylor expansion and drops the order to 1.</summary>
    public Ralston(bool bug) => this.bug = bug;

    /// <inheritdoc/>
    public override SamplerInfo Info { get; } = new("example-ralston", "Ralston's RK2 on the PF-ODE", IsStochastic: false,
        StrongOrder: 2, WeakOrder: 2, EvaluationsPerStep: 2);

    /// <inheritdoc/>
    protected override void Step(SamplingRun run, int i, double[] x)
    {
        // x may hold a batch of points one after another; the model reads and writes the whole batch at once.
        double t = run.Grid[i], h = run.Grid[i + 1] - t;
        var k1 = new double[x.Length];
        var k2 = new double[x.Length];
        var stage = new double[x.Length];
        run.View.Velocity(x, t, k1);
        for (int j = 0; j < x.Length; j++) stage[j] = x[j] + 2.0 / 3.0 * h * k1[j];
        double tStage = bug ? t : t + 2.0 / 3.0 * h; // the deliberate bug is the `bug ? t :` (README.md)
        run.View.Velocity(stage, tStage, k2);
        for (int j = 0; j < x.Length; j++) x[j] += h * (0.25 * k1[j] + 0.75 * k2[j]);
    }
}
