namespace Verified.Theory

open System

/// <summary>
/// Closed forms for Gaussian data p_0 = N(mu, S) under a schedule ("Flow maps" and section 5 of THEORY):
/// the PF-ODE flow map, which is affine, and the exact forward and reverse transition laws.
/// In the eigenbasis of S (eigenvalue l) the marginal variance is v_t(l) = alpha_t^2 l + sigma_t^2 and
/// Phi(x, t -&gt; s) = alpha_s mu + sqrt(v_s / v_t) (x - alpha_t mu).
/// </summary>
[<Sealed; AllowNullLiteral>]
type GaussianFlow(data: GaussianMixture, schedule: Schedule) =
    do
        Guard.notNull "data" data
        Guard.notNull "schedule" schedule
        if data.Count <> 1 then
            invalidArg "data" (sprintf "data must be a single Gaussian (one component), got %d components" data.Count)
    let d = data.Dimension
    let mu = data.Mean 0
    let l = data.Eigenvalues 0
    let variance (t: float) (j: int) = let a, s = schedule.Alpha t, schedule.Sigma t in a * a * l[j] + s * s

    /// U diag(v) U^T.
    let rotated (v: int -> float) = data.RotatedDiagonal(0, v)

    let checkTimes (t: float) (s: float) =
        schedule.CheckTime("t", t)
        schedule.CheckTime("s", s)

    new(mean: float[], covariance: float[,], schedule: Schedule) = GaussianFlow(GaussianMixture.Gaussian(mean, covariance), schedule)

    member _.Dimension = d
    member _.Schedule = schedule
    member _.Data = data

    /// <summary>The exact marginal p_t = N(alpha mu, alpha^2 S + sigma^2 I): mean.</summary>
    member _.MarginalMean(t: float) = let a = schedule.Alpha t in mu |> Array.map (fun m -> a * m)
    /// <summary>The exact marginal covariance alpha^2 S + sigma^2 I.</summary>
    member _.MarginalCovariance(t: float) = schedule.CheckTime("t", t); rotated (variance t)

    /// <summary>The flow map as x_s = A x_t + b: A = U diag(sqrt(v_s/v_t)) U^T, b = alpha_s mu - A alpha_t mu (CM.1, CM.2).</summary>
    member _.FlowMapMatrix(t: float, s: float) =
        checkTimes t s
        let ratio j =
            let vt = variance t j
            if not (vt > 0.0) then
                raise (ArgumentOutOfRangeException("t", t, sprintf "t = %g gives a singular marginal covariance; use a t with sigma(t) > 0" t))
            sqrt (variance s j / vt)
        let a = rotated ratio
        let at, aS = schedule.Alpha t, schedule.Alpha s
        let b = Array.init d (fun r -> aS * mu[r] - (Seq.sum (seq { for c in 0 .. d - 1 -> a[r, c] * at * mu[c] })))
        a, b

    /// <summary>Phi(x, t -&gt; s): the exact PF-ODE solution at time s from x at time t (either direction).</summary>
    member this.FlowMap(x: float[], t: float, s: float) =
        Guard.notNull "x" x
        Guard.length "x" d x.Length
        Guard.allFinite "x" (ReadOnlySpan x)
        let a, b = this.FlowMapMatrix(t, s)
        Array.init d (fun r -> b[r] + Seq.sum (seq { for c in 0 .. d - 1 -> a[r, c] * x[c] }))

    /// <summary>Reverse transition law of x_s given x_t = x for s &lt; t (exact, Gaussian data):
    /// per eigen-direction, with v = alpha^2 l + sigma^2 and c = Cov(x_t, x_s) = (alpha_t/alpha_s) v_s,
    /// mean alpha_s mu + (c / v_t)(x - alpha_t mu), variance v_s - c^2 / v_t. Returns (mean, covariance).</summary>
    member _.ReverseTransition(x: float[], t: float, s: float) =
        Guard.notNull "x" x
        Guard.length "x" d x.Length
        Guard.allFinite "x" (ReadOnlySpan x)
        checkTimes t s
        if not (s < t) then invalidArg "s" (sprintf "s must be < t (%g) for a reverse transition, got %g" t s)
        let at, aS = schedule.Alpha t, schedule.Alpha s
        let gain j = (at / aS) * variance s j / variance t j
        let a = rotated gain
        let mean = Array.init d (fun r -> aS * mu[r] + Seq.sum (seq { for c in 0 .. d - 1 -> a[r, c] * (x[c] - at * mu[c]) }))
        let cov = rotated (fun j -> let g = gain j in variance s j - g * g * variance t j)
        mean, cov
