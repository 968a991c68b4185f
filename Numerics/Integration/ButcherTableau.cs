namespace Verified.Numerics;

/// <summary>
/// An explicit Runge–Kutta tableau: nodes c, lower-triangular coefficients a, weights b of the propagated solution
/// and, for an embedded pair, weights bHat of the embedded one. Validated on construction: row sums of a equal c
/// (consistency of the stages) and each weight vector sums to 1 (order at least 1). The fixed-step samplers
/// (<see cref="RungeKuttaSampler"/>) and the adaptive integrator (<see cref="AdaptiveRungeKutta"/>) both read it.
/// </summary>
public sealed class ButcherTableau
{
    // The identities hold exactly in rationals; the double coefficients satisfy them to a few ulps.
    private const double Tolerance = 1e-14;

    /// <summary>Builds and validates a tableau.</summary>
    /// <param name="name">a display name.</param>
    /// <param name="c">nodes, c[0] = 0.</param>
    /// <param name="a">a[i] holds the i coefficients of stage i (a[0] is empty).</param>
    /// <param name="b">weights of the solution, one per stage.</param>
    /// <param name="bHat">weights of the embedded solution, one per stage; null for a method without an error estimate.</param>
    /// <param name="order">order p of the propagated solution.</param>
    /// <param name="embeddedOrder">order q of the embedded solution (required with bHat, null without).</param>
    /// <exception cref="ArgumentException">an inconsistent tableau.</exception>
    public ButcherTableau(string name, double[] c, double[][] a, double[] b, double[]? bHat, int order, int? embeddedOrder = null)
    {
        Check.NotNull(c, nameof(c));
        Check.NotNull(a, nameof(a));
        Check.NotNull(b, nameof(b));
        int stages = c.Length;
        if (stages == 0) throw new ArgumentException($"{name}: a tableau needs at least one stage", nameof(c));
        if (c[0] != 0) throw new ArgumentException($"{name}: c[0] must be 0 (explicit method), got {c[0]:R}", nameof(c));
        if (a.Length != stages || b.Length != stages || (bHat is not null && bHat.Length != stages))
            throw new ArgumentException($"a, b and bHat must have one entry per stage ({stages})", nameof(a));
        for (int i = 0; i < stages; i++)
        {
            if (a[i].Length != i) throw new ArgumentException($"a[{i}] must hold {i} coefficients (explicit method), got {a[i].Length}", nameof(a));
            double rowSum = a[i].Sum();
            if (Math.Abs(rowSum - c[i]) > Tolerance)
                throw new ArgumentException($"{name}: row {i} of a sums to {rowSum:R}, but c[{i}] = {c[i]:R}", nameof(a));
        }
        if (Math.Abs(b.Sum() - 1) > Tolerance) throw new ArgumentException($"{name}: b sums to {b.Sum():R}, not 1", nameof(b));
        if (bHat is not null && Math.Abs(bHat.Sum() - 1) > Tolerance) throw new ArgumentException($"{name}: bHat sums to {bHat.Sum():R}, not 1", nameof(bHat));
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be >= 1");
        if ((bHat is null) != (embeddedOrder is null))
            throw new ArgumentException($"{name}: give embeddedOrder exactly when bHat is given", nameof(embeddedOrder));
        if (embeddedOrder is < 1) throw new ArgumentOutOfRangeException(nameof(embeddedOrder), embeddedOrder, "embeddedOrder must be >= 1");
        Name = name;
        C = c;
        A = a;
        B = b;
        BHat = bHat;
        Order = order;
        EmbeddedOrder = embeddedOrder;
    }

    /// <summary>Display name.</summary>
    public string Name { get; }
    /// <summary>Nodes.</summary>
    public IReadOnlyList<double> C { get; }
    /// <summary>Stage coefficients (row i has i entries).</summary>
    public IReadOnlyList<double[]> A { get; }
    /// <summary>Solution weights.</summary>
    public IReadOnlyList<double> B { get; }
    /// <summary>Embedded weights (error estimate = difference of the two solutions); null without an embedded pair.</summary>
    public IReadOnlyList<double>? BHat { get; }
    /// <summary>Order p of the propagated solution: the order a fixed-step method built on it declares.</summary>
    public int Order { get; }
    /// <summary>Order q of the embedded solution (the error estimate is O(h^(q+1))); null without an embedded pair.</summary>
    public int? EmbeddedOrder { get; }
    /// <summary>Number of stages (model evaluations per step).</summary>
    public int Stages => C.Count;

    /// <summary>Explicit Euler: one stage, order 1.</summary>
    public static ButcherTableau Euler { get; } = new("euler", [0], [[]], [1], null, order: 1);

    /// <summary>Heun's method (explicit trapezoid rule): k2 at the step's end, weights 1/2, 1/2; order 2.</summary>
    public static ButcherTableau Heun { get; } = new("heun", [0, 1], [[], [1]], [0.5, 0.5], null, order: 2);

    /// <summary>Dormand–Prince 5(4) (Dormand and Prince 1980; MATLAB ode45, SciPy RK45): 7 stages, first same as last,
    /// propagates the 5th-order solution.</summary>
    public static ButcherTableau DormandPrince { get; } = new("dormand-prince-5(4)",
        [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1],
        [
            [],
            [1.0 / 5],
            [3.0 / 40, 9.0 / 40],
            [44.0 / 45, -56.0 / 15, 32.0 / 9],
            [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
            [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
            [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
        ],
        [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0],
        [5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40],
        order: 5, embeddedOrder: 4);
}
