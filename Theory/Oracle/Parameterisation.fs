namespace Verified.Theory

open System

/// <summary>
/// Conversions between the four ways a network can predict (THEORY section 4, [133]-[134]), at a point x
/// and time t of a schedule, with x = alpha x0 + sigma eps:
/// noise eps, score s = -eps / sigma, data x0 = (x - sigma eps) / alpha, PF-ODE velocity
/// v = f x - (1/2) g2 s, and v-prediction vp = alpha eps - sigma x0.
/// </summary>
/// <remarks>Each conversion is exact algebra; round trips are checked to round-off in the tests.</remarks>
[<AbstractClass; Sealed>]
type Parameterisation =
    static member private Check(schedule: Schedule, x: float[], other: float[], otherName: string, t: float) =
        Guard.notNull "schedule" schedule
        Guard.notNull "x" x
        Guard.notNull otherName other
        Guard.length otherName x.Length other.Length
        schedule.CheckTime("t", t)
        let sigma = schedule.Sigma t
        if not (sigma > 0.0) then
            raise (ArgumentOutOfRangeException("t", t, sprintf "t = %g has sigma(t) = 0; the conversions need sigma(t) > 0" t))

    /// s = -eps / sigma (C4.3).
    static member NoiseToScore(schedule: Schedule, x: float[], eps: float[], t: float) =
        Parameterisation.Check(schedule, x, eps, "eps", t)
        let sigma = schedule.Sigma t
        eps |> Array.map (fun e -> -e / sigma)

    /// eps = -sigma s.
    static member ScoreToNoise(schedule: Schedule, x: float[], score: float[], t: float) =
        Parameterisation.Check(schedule, x, score, "score", t)
        let sigma = schedule.Sigma t
        score |> Array.map (fun s -> -sigma * s)

    /// x0 = (x - sigma eps) / alpha.
    static member NoiseToData(schedule: Schedule, x: float[], eps: float[], t: float) =
        Parameterisation.Check(schedule, x, eps, "eps", t)
        let a, s = schedule.Alpha t, schedule.Sigma t
        Array.init x.Length (fun i -> (x[i] - s * eps[i]) / a)

    /// eps = (x - alpha x0) / sigma.
    static member DataToNoise(schedule: Schedule, x: float[], x0: float[], t: float) =
        Parameterisation.Check(schedule, x, x0, "x0", t)
        let a, s = schedule.Alpha t, schedule.Sigma t
        Array.init x.Length (fun i -> (x[i] - a * x0[i]) / s)

    /// PF-ODE velocity from a data prediction: v = alpha' x0 + (sigma'/sigma)(x - alpha x0) (C1.2 at the posterior mean).
    static member DataToVelocity(schedule: Schedule, x: float[], x0: float[], t: float) =
        Parameterisation.Check(schedule, x, x0, "x0", t)
        let a, s, aDot, sDot = schedule.Alpha t, schedule.Sigma t, schedule.AlphaDot t, schedule.SigmaDot t
        Array.init x.Length (fun i -> aDot * x0[i] + (sDot / s) * (x[i] - a * x0[i]))

    /// Data prediction from the PF-ODE velocity: x0 = (v - (sigma'/sigma) x) / (alpha' - (sigma'/sigma) alpha).
    static member VelocityToData(schedule: Schedule, x: float[], velocity: float[], t: float) =
        Parameterisation.Check(schedule, x, velocity, "velocity", t)
        let a, s, aDot, sDot = schedule.Alpha t, schedule.Sigma t, schedule.AlphaDot t, schedule.SigmaDot t
        let denom = aDot - (sDot / s) * a // = alpha lambda', nonzero where lambda is strictly monotone
        if denom = 0.0 then
            raise (ArgumentOutOfRangeException("t", t, sprintf "at t = %g the velocity does not determine x0 (lambda is stationary)" t))
        Array.init x.Length (fun i -> (velocity[i] - (sDot / s) * x[i]) / denom)

    /// v-prediction vp = alpha eps - sigma x0 ([133]).
    static member NoiseToVPrediction(schedule: Schedule, x: float[], eps: float[], t: float) =
        let x0 = Parameterisation.NoiseToData(schedule, x, eps, t)
        let a, s = schedule.Alpha t, schedule.Sigma t
        Array.init x.Length (fun i -> a * eps[i] - s * x0[i])

    /// eps from a v-prediction: solving x = alpha x0 + sigma eps and vp = alpha eps - sigma x0,
    /// eps = (sigma x + alpha vp) / (alpha^2 + sigma^2) (for VP the denominator is 1).
    static member VPredictionToNoise(schedule: Schedule, x: float[], vPrediction: float[], t: float) =
        Parameterisation.Check(schedule, x, vPrediction, "vPrediction", t)
        let a, s = schedule.Alpha t, schedule.Sigma t
        let n = a * a + s * s
        Array.init x.Length (fun i -> (s * x[i] + a * vPrediction[i]) / n)
