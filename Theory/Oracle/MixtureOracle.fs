namespace Verified.Theory

open System

/// <summary>
/// The exact oracle: the noised law p_t = sum_k w_k N(alpha mu_k, alpha^2 S_k + sigma^2 I) of a
/// Gaussian mixture under a schedule, with its score, Hessian, Laplacian, time derivative and
/// posterior (THEORY section 2), at any point and any t in the schedule's domain with sigma(t) &gt; 0
/// (or t = 0 when every S_k is non-singular).
/// </summary>
/// <remarks>All results come from one per-component pass (see <c>Evaluation</c>) combined with
/// log-sum-exp responsibilities, so they stay finite far from every mode. Thread-safe: no mutable state.</remarks>
[<Sealed; AllowNullLiteral>]
type MixtureOracle(mixture: GaussianMixture, schedule: Schedule) =
    do
        Guard.notNull "mixture" mixture
        Guard.notNull "schedule" schedule
    let d = mixture.Dimension

    let evaluate (x: float[]) (t: float) =
        Guard.notNull "x" x
        Guard.length "x" d x.Length
        Guard.allFinite "x" (ReadOnlySpan x)
        schedule.CheckTime("t", t)
        Evaluation.compute mixture schedule x t

    /// U diag(v) U^T for component i.
    let rotatedDiagonal (i: int) (v: int -> float) = mixture.RotatedDiagonal(i, v)

    let componentScore (e: Evaluation) (i: int) =
        let a = Array.zeroCreate d
        mixture.AddRotated(i, -1.0, (fun j -> e.Z[i * d + j]), a)
        a

    /// m_k = mu_k + alpha S_k C_k^{-1}(x - alpha mu_k) = mu_k + alpha U_k (l_k * z_k).
    let componentPosteriorMean (e: Evaluation) (i: int) =
        let m = mixture.Mean i
        let l = mixture.Eigenvalues i
        mixture.AddRotated(i, e.Alpha, (fun j -> l[j] * e.Z[i * d + j]), m)
        m

    member _.Mixture = mixture
    member _.Schedule = schedule
    member _.Dimension = d

    /// log p_t(x).
    member _.LogDensity(x: float[], t: float) = (evaluate x t).LogDensity
    /// p_t(x) (may underflow to 0 far from the modes; prefer LogDensity).
    member _.Density(x: float[], t: float) = exp (evaluate x t).LogDensity

    /// <summary>Responsibilities r_k(x) = w_k N_k(x) / p_t(x).</summary>
    member _.Responsibilities(x: float[], t: float) = Array.copy (evaluate x t).Resp

    /// <summary>grad log p_t(x) = sum_k r_k a_k, a_k = -C_k^{-1}(x - alpha mu_k) (THEORY section 2).</summary>
    member _.Score(x: float[], t: float) =
        let e = evaluate x t
        Evaluation.weightedScore mixture e (fun _ -> true)

    /// <summary>E[eps | x_t = x] = -sigma(t) grad log p_t(x) (Tweedie, C4.2/C4.3): the optimal noise predictor eps*.</summary>
    member this.ExpectedNoise(x: float[], t: float) =
        let sigma = schedule.Sigma t
        this.Score(x, t) |> Array.map (fun s -> -sigma * s)

    /// <summary>E[x0 | x_t = x] = sum_k r_k m_k, from the posterior mixture (not from Tweedie; C4.2 compares them).</summary>
    member _.PosteriorMean(x: float[], t: float) =
        let e = evaluate x t
        let mean = Array.zeroCreate d
        for i in 0 .. e.Count - 1 do
            if e.Resp[i] > 0.0 then
                let m = componentPosteriorMean e i
                for r in 0 .. d - 1 do mean[r] <- mean[r] + e.Resp[i] * m[r]
        mean

    /// <summary>Cov[x0 | x_t = x] = sum_k r_k (P_k + m_k m_k^T) - m m^T,
    /// P_k = S_k - alpha^2 S_k C_k^{-1} S_k = U_k diag(l sigma^2 / c) U_k^T (valid for singular S_k).</summary>
    member _.PosteriorCovariance(x: float[], t: float) =
        let e = evaluate x t
        let cov = Array2D.zeroCreate d d
        let mean = Array.zeroCreate d
        let s2 = e.Sigma * e.Sigma
        for i in 0 .. e.Count - 1 do
            let r = e.Resp[i]
            if r > 0.0 then
                let l = mixture.Eigenvalues i
                let p = rotatedDiagonal i (fun j -> l[j] * s2 / e.C[i * d + j])
                let m = componentPosteriorMean e i
                for a in 0 .. d - 1 do
                    mean[a] <- mean[a] + r * m[a]
                    for b in 0 .. d - 1 do cov[a, b] <- cov[a, b] + r * (p[a, b] + m[a] * m[b])
        for a in 0 .. d - 1 do
            for b in 0 .. d - 1 do cov[a, b] <- cov[a, b] - mean[a] * mean[b]
        cov

    /// <summary>Hessian of log p_t: H = sum_k r_k (a_k a_k^T - C_k^{-1}) - s s^T.</summary>
    member _.Hessian(x: float[], t: float) =
        let e = evaluate x t
        let h = Array2D.zeroCreate d d
        let s = Array.zeroCreate d
        for i in 0 .. e.Count - 1 do
            let r = e.Resp[i]
            if r > 0.0 then
                let a = componentScore e i
                let cInv = rotatedDiagonal i (fun j -> 1.0 / e.C[i * d + j])
                for p in 0 .. d - 1 do
                    s[p] <- s[p] + r * a[p]
                    for q in 0 .. d - 1 do h[p, q] <- h[p, q] + r * (a[p] * a[q] - cInv[p, q])
        for p in 0 .. d - 1 do
            for q in 0 .. d - 1 do h[p, q] <- h[p, q] - s[p] * s[q]
        h

    /// <summary>Lap p_t / p_t = sum_k r_k (|a_k|^2 - tr C_k^{-1}); finite where p_t underflows.</summary>
    member _.LaplacianOverDensity(x: float[], t: float) =
        let e = evaluate x t
        let mutable acc = 0.0
        for i in 0 .. e.Count - 1 do
            let mutable sq = 0.0
            let mutable tr = 0.0
            for j in 0 .. d - 1 do
                let z = e.Z[i * d + j]
                sq <- sq + z * z // |a_k|^2 = |U z|^2 = |z|^2
                tr <- tr + 1.0 / e.C[i * d + j]
            acc <- acc + e.Resp[i] * (sq - tr)
        acc

    /// <summary>Lap p_t(x) = p_t(x) sum_k r_k (|a_k|^2 - tr C_k^{-1}).</summary>
    member this.Laplacian(x: float[], t: float) = this.Density(x, t) * this.LaplacianOverDensity(x, t)

    /// <summary>d/dt log p_t(x) = sum_k r_k d/dt log N_k with
    /// d/dt log N = m'^T C^{-1}(x-m) + (1/2)(x-m)^T C^{-1} C' C^{-1}(x-m) - (1/2) tr(C^{-1} C'),
    /// m' = alpha' mu, C' = 2 alpha alpha' S + d(sigma^2)/dt I (THEORY section 2).</summary>
    member _.TimeDerivativeLogDensity(x: float[], t: float) =
        let e = evaluate x t
        let alphaDot = schedule.AlphaDot t
        let varianceRate = schedule.VarianceRate t
        let mutable acc = 0.0
        for i in 0 .. e.Count - 1 do
            let l = mixture.Eigenvalues i
            let um = mixture.RotatedMean i
            let mutable term = 0.0
            for j in 0 .. d - 1 do
                let z = e.Z[i * d + j]
                let cDot = 2.0 * e.Alpha * alphaDot * l[j] + varianceRate
                term <- term + alphaDot * um[j] * z + 0.5 * z * z * cDot - 0.5 * cDot / e.C[i * d + j]
            acc <- acc + e.Resp[i] * term
        acc

    /// <summary>The probability-flow velocity v_t(x) = f(t) x - (1/2) g2(t) grad log p_t(x) (C2.1, [19]-[21]).</summary>
    member this.Velocity(x: float[], t: float) =
        let s = this.Score(x, t)
        let f, g2 = schedule.Drift t, schedule.G2 t
        Array.init d (fun i -> f * x[i] - 0.5 * g2 * s[i])

    /// <summary>div v_t(x) = d f(t) - (1/2) g2(t) tr H(x) (CL.1).</summary>
    member this.VelocityDivergence(x: float[], t: float) =
        let s = this.Score(x, t)
        let trH = this.LaplacianOverDensity(x, t) - Array.sumBy (fun v -> v * v) s // tr H = Lap p / p - |s|^2
        float d * schedule.Drift t - 0.5 * schedule.G2 t * trH

    /// Internal access for the guidance and generative-time views.
    member internal _.Evaluate(x: float[], t: float) = evaluate x t
