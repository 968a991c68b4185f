namespace Verified.Theory

open System
open System.Runtime.InteropServices

/// A VP schedule on [0, 1] from its integrated rate B(t) and rate beta(t) = B'(t): alpha = exp(-B/2),
/// sigma = sqrt(1 - e^-B) (by expm1), alpha' = -beta alpha / 2, sigma' = beta alpha^2 / (2 sigma),
/// d(sigma^2)/dt = beta alpha^2 and g2 = beta: the one home of these forms, for VP-linear and the continuised chains.
module internal VariancePreserving =
    let schedule name family (bigB: float -> float) (beta: float -> float) (lambdaInv: float -> float) =
        let alpha t = exp (-0.5 * bigB t)
        let sigma t = sqrt (-Numeric.ExpM1(-bigB t))
        let alphaDot t = -0.5 * beta t * alpha t
        let sigmaDot t = let a = alpha t in 0.5 * beta t * a * a / sigma t
        Schedule(name, family, 0.0, 1.0, true,
                 alpha, sigma, alphaDot, sigmaDot, Some(fun t -> let a = alpha t in beta t * a * a), Some beta, Some lambdaInv)

/// <summary>Factories for the closed-form schedules of THEORY section 0.</summary>
/// <remarks>Each returns a validated <see cref="Schedule"/>; lambda^-1 is closed form for all of them
/// (lambda is strictly decreasing on every domain here, C0.4).</remarks>
[<AbstractClass; Sealed>]
type Schedules =

    /// VP-linear: alpha = exp(-B/2), B(t) = beta_min t + (beta_max - beta_min) t^2 / 2,
    /// sigma = sqrt(1 - alpha^2), g2 = beta(t) = beta_min + (beta_max - beta_min) t. Domain [0, 1].
    static member VpLinear([<Optional; DefaultParameterValue(0.1)>] betaMin: float,
                           [<Optional; DefaultParameterValue(20.0)>] betaMax: float) : Schedule =
        Guard.positive "betaMin" betaMin
        Guard.positive "betaMax" betaMax
        if betaMax < betaMin then
            invalidArg "betaMax" (sprintf "betaMax must be >= betaMin (%g), got %g" betaMin betaMax)
        let span = betaMax - betaMin
        let bigB t = betaMin * t + 0.5 * span * t * t
        let beta t = betaMin + span * t
        // lambda -> alpha^2 = sigmoid(2 lambda) -> B = log(1 + e^{-2 lambda}) -> root of the quadratic B(t).
        let lambdaInv lam =
            let b = Numeric.Softplus(-2.0 * lam)
            let t = if span = 0.0 then b / betaMin else 2.0 * b / (betaMin + sqrt (betaMin * betaMin + 2.0 * span * b))
            Numeric.Clamp(t, 0.0, 1.0)
        VariancePreserving.schedule (sprintf "vp-linear(%g,%g)" betaMin betaMax) ScheduleFamily.VpLinear bigB beta lambdaInv

    /// VP-cosine (Nichol and Dhariwal): abar(t) = cos^2(phi(t)) / cos^2(phi(0)),
    /// phi(t) = ((t + s)/(1 + s)) pi/2; alpha = sqrt(abar), sigma = sqrt(1 - abar). Domain [0, 1).
    static member VpCosine([<Optional; DefaultParameterValue(0.008)>] offset: float) : Schedule =
        Guard.positive "offset" offset
        let rate = Math.PI / (2.0 * (1.0 + offset))
        let phi t = (t + offset) * rate
        let phi0 = phi 0.0
        let cos0 = cos phi0
        let alpha t = cos (phi t) / cos0
        // 1 - abar = (cos^2 phi0 - cos^2 phi)/cos^2 phi0 = sin(phi - phi0) sin(phi + phi0)/cos^2 phi0: no cancellation near t = 0.
        let sigma t = let p = phi t in sqrt (sin (p - phi0) * sin (p + phi0)) / cos0
        let alphaDot t = -sin (phi t) * rate / cos0
        let sigmaDot t = -alpha t * alphaDot t / sigma t
        let g2 t = 2.0 * tan (phi t) * rate // = -2 alpha'/alpha
        let lambdaInv lam =
            // abar = sigmoid(2 lambda); cos(phi) = sqrt(abar) cos(phi0).
            let abar = 1.0 / (1.0 + exp (-2.0 * lam))
            let t = acos (sqrt abar * cos0) / rate - offset
            Numeric.Clamp(t, 0.0, System.Math.BitDecrement 1.0)
        Schedule(sprintf "vp-cosine(%g)" offset, ScheduleFamily.VpCosine, 0.0, 1.0, false,
                 alpha, sigma, alphaDot, sigmaDot, Some(fun t -> -2.0 * alpha t * alphaDot t), Some g2, Some lambdaInv)

    /// sub-VP (Song et al.): alpha as VP-linear, sigma = 1 - alpha^2, g2 = beta(t) (1 - e^{-2B(t)}). Domain [0, 1].
    static member SubVp([<Optional; DefaultParameterValue(0.1)>] betaMin: float,
                        [<Optional; DefaultParameterValue(20.0)>] betaMax: float) : Schedule =
        let vp = Schedules.VpLinear(betaMin, betaMax)
        let span = betaMax - betaMin
        let bigB t = betaMin * t + 0.5 * span * t * t
        let beta t = betaMin + span * t
        let alpha t = exp (-0.5 * bigB t)
        let sigma t = -Numeric.ExpM1(-bigB t)
        let alphaDot t = -0.5 * beta t * alpha t
        let sigmaDot t = beta t * exp (-bigB t)
        let g2 t = beta t * -Numeric.ExpM1(-2.0 * bigB t)
        let lambdaInv lam =
            // alpha/(1 - alpha^2) = e^lambda  ->  alpha = (sqrt(1 + 4 e^{2 lambda}) - 1) / (2 e^lambda).
            let e = exp lam
            let a = if e > 1e8 then 1.0 - 0.5 / e else (sqrt (1.0 + 4.0 * e * e) - 1.0) / (2.0 * e)
            // the VP-linear schedule with the same alpha has lambda_vp = log(a / sqrt(1 - a^2))
            vp.LambdaInverse(log a - 0.5 * log ((1.0 - a) * (1.0 + a)))
        Schedule(sprintf "sub-vp(%g,%g)" betaMin betaMax, ScheduleFamily.SubVp, 0.0, 1.0, true,
                 alpha, sigma, alphaDot, sigmaDot, None, Some g2, Some lambdaInv)

    /// VE (Song et al.): alpha = 1, sigma = sigma_min (sigma_max/sigma_min)^t, g2 = 2 sigma^2 log(sigma_max/sigma_min). Domain [0, 1].
    static member Ve([<Optional; DefaultParameterValue(0.01)>] sigmaMin: float,
                     [<Optional; DefaultParameterValue(50.0)>] sigmaMax: float) : Schedule =
        Guard.positive "sigmaMin" sigmaMin
        Guard.positive "sigmaMax" sigmaMax
        if sigmaMax <= sigmaMin then
            invalidArg "sigmaMax" (sprintf "sigmaMax must be > sigmaMin (%g), got %g" sigmaMin sigmaMax)
        let logRatio = log (sigmaMax / sigmaMin)
        let sigma t = sigmaMin * exp (t * logRatio)
        let g2 t = let s = sigma t in 2.0 * s * s * logRatio
        let lambdaInv lam = Numeric.Clamp((-lam - log sigmaMin) / logRatio, 0.0, 1.0)
        Schedule(sprintf "ve(%g,%g)" sigmaMin sigmaMax, ScheduleFamily.Ve, 0.0, 1.0, true,
                 (fun _ -> 1.0), sigma, (fun _ -> 0.0), (fun t -> sigma t * logRatio), None, Some g2, Some lambdaInv)

    /// EDM (Karras et al.): alpha = 1, sigma = t, g2 = 2t. Domain [0, sigma_max], default [0, 80].
    static member Edm([<Optional; DefaultParameterValue(80.0)>] sigmaMax: float) : Schedule =
        Guard.positive "sigmaMax" sigmaMax
        Schedule(sprintf "edm(%g)" sigmaMax, ScheduleFamily.Edm, 0.0, sigmaMax, true,
                 (fun _ -> 1.0), id, (fun _ -> 0.0), (fun _ -> 1.0), None, Some(fun t -> 2.0 * t),
                 Some(fun lam -> Numeric.Clamp(exp -lam, 0.0, sigmaMax)))

    /// Linear interpolant / rectified flow: alpha = 1 - t, sigma = t, g2 = 2t/(1 - t). Domain [0, 1).
    static member LinearInterpolant() : Schedule =
        Schedule("linear-interpolant", ScheduleFamily.LinearInterpolant, 0.0, 1.0, false,
                 (fun t -> 1.0 - t), id, (fun _ -> -1.0), (fun _ -> 1.0), None, Some(fun t -> 2.0 * t / (1.0 - t)),
                 Some(fun lam -> Numeric.Clamp(1.0 / (1.0 + exp lam), 0.0, System.Math.BitDecrement 1.0)))

    /// Föllmer: alpha = 1 - t, sigma = sqrt(t (1 - t)); g2 = 1 exactly (C0.3). Domain [0, 1).
    /// Forward time t corresponds to Föllmer generative time s = 1 - t (CF.1).
    static member Follmer() : Schedule =
        let sigma t = sqrt (t * (1.0 - t))
        Schedule("follmer", ScheduleFamily.Follmer, 0.0, 1.0, false,
                 (fun t -> 1.0 - t), sigma, (fun _ -> -1.0), (fun t -> (1.0 - 2.0 * t) / (2.0 * sigma t)),
                 Some(fun t -> 1.0 - 2.0 * t), None, // g2 = 1 is a claim (C0.3): computed by the generic formula, not asserted here.
                 Some(fun lam -> Numeric.Clamp(1.0 / (1.0 + exp (2.0 * lam)), 0.0, System.Math.BitDecrement 1.0)))

    /// <summary>A user-defined schedule from closed-form alpha, sigma and their derivatives.</summary>
    /// <remarks>g2 is computed by the generic formula. Used for custom schedules and for
    /// negative controls (deliberately wrong derivatives).</remarks>
    static member Custom(name: string, tMin: float, tMax: float, tMaxIncluded: bool,
                         alpha: Func<float, float>, sigma: Func<float, float>,
                         alphaDot: Func<float, float>, sigmaDot: Func<float, float>) : Schedule =
        Guard.notNull "alpha" alpha
        Guard.notNull "sigma" sigma
        Guard.notNull "alphaDot" alphaDot
        Guard.notNull "sigmaDot" sigmaDot
        Guard.finite "tMin" tMin
        Guard.finite "tMax" tMax
        if tMax <= tMin then invalidArg "tMax" (sprintf "tMax must be > tMin (%g), got %g" tMin tMax)
        Schedule((if isNull name then "custom" else name), ScheduleFamily.Custom, tMin, tMax, tMaxIncluded,
                 alpha.Invoke, sigma.Invoke, alphaDot.Invoke, sigmaDot.Invoke, None, None, None)
