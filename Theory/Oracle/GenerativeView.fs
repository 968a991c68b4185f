namespace Verified.Theory

open System

/// <summary>
/// Generative-time view (THEORY section 8): with t_gen = T - t, data x1 = x0 of the forward view,
/// a(t_gen) = alpha(T - t_gen), b(t_gen) = sigma(T - t_gen), so x_{t_gen} = a x1 + b noise.
/// Conditional velocity u(x | x1) = (b'/b)(x - a x1) + a' x1 (C8.1), marginal velocity
/// u(x) = E[u(x | x1) | x] (C8.2), and the Föllmer drift (CF.1).
/// </summary>
/// <remarks>Derivatives are with respect to t_gen, hence a' = -alpha'(T - t_gen), b' = -sigma'(T - t_gen).
/// T is the schedule's TMax (for domains open at TMax, t_gen = 0 is excluded).</remarks>
[<Sealed; AllowNullLiteral>]
type GenerativeView(oracle: MixtureOracle) =
    do Guard.notNull "oracle" oracle
    let schedule = oracle.Schedule
    let horizon = schedule.TMax
    let forward (tGen: float) =
        Guard.finite "tGen" tGen
        let t = horizon - tGen
        if not (schedule.IsInDomain t) then
            raise (ArgumentOutOfRangeException("tGen", tGen,
                    sprintf "tGen must map to a forward time T - tGen inside the domain of %s (T = %g), got %g" schedule.Name horizon tGen))
        t

    member _.Oracle = oracle
    /// The forward horizon T.
    member _.Horizon = horizon
    /// a(t_gen) = alpha(T - t_gen).
    member _.A(tGen: float) = schedule.Alpha(forward tGen)
    /// b(t_gen) = sigma(T - t_gen).
    member _.B(tGen: float) = schedule.Sigma(forward tGen)
    /// a'(t_gen) = -alpha'(T - t_gen).
    member _.ADot(tGen: float) = -schedule.AlphaDot(forward tGen)
    /// b'(t_gen) = -sigma'(T - t_gen).
    member _.BDot(tGen: float) = -schedule.SigmaDot(forward tGen)

    /// <summary>E[x1 | x_{t_gen} = x] (the forward posterior mean of the data).</summary>
    member _.ExpectedData(x: float[], tGen: float) = oracle.PosteriorMean(x, forward tGen)

    /// <summary>u_t(x | x1) = (b'/b)(x - a x1) + a' x1 (C8.1, [93]-[95]).</summary>
    member this.ConditionalVelocity(x: float[], tGen: float, x1: float[]) =
        Guard.notNull "x" x
        Guard.notNull "x1" x1
        Guard.length "x1" x.Length x1.Length
        let a, b, aDot, bDot = this.A tGen, this.B tGen, this.ADot tGen, this.BDot tGen
        if not (b > 0.0) then invalidArg "tGen" (sprintf "b(tGen) must be > 0 for the conditional velocity, got b = %g at tGen = %g" b tGen)
        Array.init x.Length (fun i -> (bDot / b) * (x[i] - a * x1[i]) + aDot * x1[i])

    /// <summary>u_t(x) = E[u_t(x | x1) | x] = (b'/b)(x - a E[x1|x]) + a' E[x1|x] (C8.2, [97]-[100]).</summary>
    member this.MarginalVelocity(x: float[], tGen: float) =
        this.ConditionalVelocity(x, tGen, this.ExpectedData(x, tGen))

    /// <summary>Generative-time drift coefficient ft = a'/a ([104]).</summary>
    member this.DriftCoefficient(tGen: float) = this.ADot tGen / this.A tGen
    /// <summary>Generative-time squared diffusion gt2 = 2 (a'/a) b^2 - 2 b b' ([104]); equals the forward g2 (C8.4).</summary>
    member this.DiffusionCoefficient2(tGen: float) =
        let a, b = this.A tGen, this.B tGen
        2.0 * (this.ADot tGen / a) * b * b - 2.0 * b * this.BDot tGen

    /// <summary>Score of p at generative time: grad log p_{T - t_gen}(x).</summary>
    member _.Score(x: float[], tGen: float) = oracle.Score(x, forward tGen)

    /// <summary>Föllmer drift b(x, s) = (E[Y | X_s = x] - x) / (1 - s) (CF.1), for the Föllmer schedule
    /// (T = 1, s = t_gen). Closed form through the posterior mean; CF.1 checks it equals x/s + grad log p_s(x).</summary>
    member this.FollmerDrift(x: float[], s: float) =
        if schedule.Family <> ScheduleFamily.Follmer then
            invalidArg "oracle" (sprintf "the Föllmer drift needs an oracle on the Föllmer schedule, got %s" schedule.Name)
        if not (s > 0.0 && s < 1.0) then
            raise (ArgumentOutOfRangeException("s", s, sprintf "s must lie in (0, 1), got %g" s))
        let y = this.ExpectedData(x, s)
        Array.init x.Length (fun i -> (y[i] - x[i]) / (1.0 - s))
