namespace Verified.Theory

open System

/// Numerically careful helpers missing from System.Math: expm1, log1p, softplus, log-sum-exp.
[<AbstractClass; Sealed>]
type Numeric =
    /// exp(x) - 1 to a few ulps for every x (Kahan's trick: (u - 1) x / log u with u = e^x).
    static member ExpM1(x: float) =
        let u = exp x
        if u = 1.0 then x
        elif u - 1.0 = -1.0 then -1.0
        elif Double.IsPositiveInfinity u then u
        else (u - 1.0) * x / log u
    /// log(1 + x) to a few ulps for x > -1 (Goldberg's trick: log(u) x / (u - 1) with u = 1 + x).
    static member Log1P(x: float) =
        let u = 1.0 + x
        if u = 1.0 then x else log u * x / (u - 1.0)
    /// log(1 + e^x), stable for large |x|.
    static member Softplus(x: float) =
        if x > 35.0 then x elif x < -35.0 then exp x else Numeric.Log1P(exp x)
    static member Clamp(x: float, lo: float, hi: float) = max lo (min hi x)
    /// log sum_i exp(v_i), stable (subtracts the maximum); -infinity for an empty or all -infinity input.
    static member LogSumExp(values: ReadOnlySpan<float>) =
        let mutable m = Double.NegativeInfinity
        for v in values do if v > m then m <- v
        if Double.IsNegativeInfinity m then m
        else
            let mutable s = 0.0
            for v in values do s <- s + exp (v - m)
            m + log s
