namespace Verified.Theory

open System

/// The schedule families the suite knows in closed form (THEORY section 0).
type ScheduleFamily =
    | VpLinear = 0
    | VpCosine = 1
    | SubVp = 2
    | Ve = 3
    | Edm = 4
    | LinearInterpolant = 5
    | Follmer = 6
    /// Continuisation of a discrete DDPM beta sequence (C7.2-C7.4).
    | PiecewiseVp = 7
    | Custom = 8

/// <summary>alpha, sigma, f = alpha'/alpha and g2 at one time, from <see cref="Schedule.At"/> after a single domain
/// check: what a conversion between parameterisations reads per model evaluation.</summary>
[<Struct>]
type ScheduleCoefficients =
    { /// alpha(t).
      Alpha: float
      /// sigma(t).
      Sigma: float
      /// f(t) = alpha'(t) / alpha(t).
      Drift: float
      /// g2(t) (closed form where known).
      G2: float }

/// <summary>
/// A noise schedule x_t = alpha(t) x0 + sigma(t) eps on its domain [TMin, TMax] (TMax possibly open).
/// Derived coefficients (THEORY [1], [48]):
/// f(t) = alpha'/alpha, g2(t) = 2 sigma sigma' - 2 f sigma^2, lambda(t) = log(alpha/sigma).
/// </summary>
/// <remarks>
/// A schedule is data: the four closed-form functions, plus an optional closed-form g2 and
/// lambda^-1. Where a closed-form g2 exists (VP: beta(t)), it is used; C0.1/C0.2 check it
/// against the generic formula and against finite differences. Every public member checks
/// once that t lies in the domain and then evaluates unchecked private closed forms (a member
/// never re-checks through another member); <see cref="At"/> gives the four coefficients of a
/// conversion for one check.
/// </remarks>
[<Sealed; AllowNullLiteral>]
type Schedule
    internal
    (
        name: string,
        family: ScheduleFamily,
        tMin: float,
        tMax: float,
        tMaxIncluded: bool,
        alpha: float -> float,
        sigma: float -> float,
        alphaDot: float -> float,
        sigmaDot: float -> float,
        varianceRate: (float -> float) option,
        g2Closed: (float -> float) option,
        lambdaInverse: (float -> float) option
    ) =

    // The unchecked closed forms: every public member below checks t once, then calls these.
    let drift t = alphaDot t / alpha t
    let varianceRateOf t =
        match varianceRate with
        | Some r -> r t
        | None -> let s = sigma t in if s = 0.0 then 0.0 else 2.0 * s * sigmaDot t
    let g2GenericOf t =
        let s = sigma t
        varianceRateOf t - 2.0 * (alphaDot t / alpha t) * s * s
    let g2Of t =
        match g2Closed with
        | Some g -> g t
        | None -> g2GenericOf t

    member _.Name = name
    member _.Family = family
    /// Left end of the domain (always included).
    member _.TMin = tMin
    /// Right end of the domain; see TMaxIncluded.
    member _.TMax = tMax
    member _.TMaxIncluded = tMaxIncluded
    /// True for VP schedules, where alpha^2 + sigma^2 = 1 (C0.2).
    member _.IsVariancePreserving =
        family = ScheduleFamily.VpLinear || family = ScheduleFamily.VpCosine || family = ScheduleFamily.PiecewiseVp
    member _.HasLambdaInverse = lambdaInverse.IsSome

    member _.IsInDomain(t: float) =
        not (Double.IsNaN t) && t >= tMin && (if tMaxIncluded then t <= tMax else t < tMax)

    /// Throws ArgumentOutOfRangeException naming the parameter, the value and the domain.
    member this.CheckTime(paramName: string, t: float) =
        if not (this.IsInDomain t) then
            let close = if tMaxIncluded then "]" else ")"
            raise (ArgumentOutOfRangeException(paramName, t,
                    sprintf "%s must lie in the domain [%g, %g%s of schedule %s, got %g" paramName tMin tMax close name t))

    /// alpha(t): signal scale.
    member this.Alpha(t: float) = this.CheckTime("t", t); alpha t
    /// sigma(t): noise scale.
    member this.Sigma(t: float) = this.CheckTime("t", t); sigma t
    /// alpha'(t).
    member this.AlphaDot(t: float) = this.CheckTime("t", t); alphaDot t
    /// sigma'(t). Infinite at t = 0 for VP schedules (sigma ~ sqrt t there).
    member this.SigmaDot(t: float) = this.CheckTime("t", t); sigmaDot t
    /// f(t) = alpha'(t) / alpha(t)  (THEORY [1]).
    member this.Drift(t: float) = this.CheckTime("t", t); drift t
    /// <summary>g2(t) = 2 sigma sigma' - 2 f sigma^2 (THEORY [1]); closed form where known (VP: beta(t), C0.2).</summary>
    member this.G2(t: float) = this.CheckTime("t", t); g2Of t
    /// The generic route 2 sigma sigma' - 2 (alpha'/alpha) sigma^2, kept separate so that
    /// C0.1/C0.2 can compare it with the closed form.
    member this.G2Generic(t: float) = this.CheckTime("t", t); g2GenericOf t
    /// d(sigma^2)/dt = 2 sigma sigma'; closed form where sigma ~ sqrt(t) near t = 0 (VP, Föllmer),
    /// where the product of sigma = 0 and sigma' = infinity has a finite limit.
    member this.VarianceRate(t: float) = this.CheckTime("t", t); varianceRateOf t
    /// <summary>alpha, sigma, f and g2 at t for one domain check (the values of <see cref="Alpha"/>, <see cref="Sigma"/>,
    /// <see cref="Drift"/> and <see cref="G2"/>, bit for bit).</summary>
    member this.At(t: float) : ScheduleCoefficients =
        this.CheckTime("t", t)
        { Alpha = alpha t; Sigma = sigma t; Drift = drift t; G2 = g2Of t }
    /// <summary>f(t) and g2(t) for one domain check (the values of <see cref="Drift"/> and <see cref="G2"/>, bit for
    /// bit): what a drift f x - c g2 s reads per evaluation. Cheaper than <see cref="At"/>, which also forms alpha and
    /// sigma (on VP schedules an exp, an expm1 and a sqrt).</summary>
    member this.DriftAndG2(t: float) : struct (float * float) =
        this.CheckTime("t", t)
        struct (drift t, g2Of t)
    /// lambda(t) = log(alpha/sigma), the half log-SNR (THEORY [48]); +infinity where sigma = 0.
    member this.Lambda(t: float) = this.CheckTime("t", t); log (alpha t) - log (sigma t)
    /// <summary>lambda^-1: the time with the given half log-SNR (C0.4).</summary>
    /// <param name="lambda">any finite real; the result is clamped into the domain.</param>
    member this.LambdaInverse(lambda: float) =
        Guard.finite "lambda" lambda
        match lambdaInverse with
        | Some inv -> inv lambda
        | None -> raise (NotSupportedException(sprintf "schedule %s has no closed-form lambda^-1" name))

    override _.ToString() = name
