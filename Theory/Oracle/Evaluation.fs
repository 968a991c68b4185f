namespace Verified.Theory

open System

/// <summary>
/// Per-component quantities of a Gaussian mixture at one point x and time t, in each component's
/// eigenbasis (THEORY section 2): c_kj = alpha^2 l_kj + sigma^2 (eigenvalues of C_k),
/// y_k = U_k^T (x - alpha mu_k), z_k = y_k / c_k (so C_k^{-1}(x - alpha mu_k) = U_k z_k),
/// log-weights log w_k + log N(x; alpha mu_k, C_k), responsibilities r_k by log-sum-exp.
/// </summary>
type internal Evaluation =
    { Dim: int
      Count: int
      Alpha: float
      Sigma: float
      /// c, K*d, component-major.
      C: float[]
      /// z, K*d, component-major.
      Z: float[]
      /// log w_k + log N_k.
      LogTerms: float[]
      /// r_k.
      Resp: float[]
      /// log p_t(x).
      LogDensity: float }

module internal Evaluation =

    let private log2Pi = log (2.0 * Math.PI)

    /// Computes the evaluation; x and t are assumed already validated.
    let compute (mixture: GaussianMixture) (schedule: Schedule) (x: float[]) (t: float) =
        let d, k = mixture.Dimension, mixture.Count
        let alpha, sigma = schedule.Alpha t, schedule.Sigma t
        let a2, s2 = alpha * alpha, sigma * sigma
        let cs = Array.zeroCreate (k * d)
        let zs = Array.zeroCreate (k * d)
        let logTerms = Array.zeroCreate k
        let ux = Array.zeroCreate d
        for i in 0 .. k - 1 do
            let l = mixture.Eigenvalues i
            let um = mixture.RotatedMean i
            mixture.Rotate(i, x, ux)
            let mutable logDet = 0.0
            let mutable quad = 0.0
            for j in 0 .. d - 1 do
                let c = a2 * l[j] + s2
                if not (c > 0.0) then
                    raise (ArgumentOutOfRangeException("t", t,
                            sprintf "t = %g makes component %d of the noised data singular (sigma(t) = %g and its covariance is singular); use a t with sigma(t) > 0" t i sigma))
                let y = ux[j] - alpha * um[j]
                let z = y / c
                cs[i * d + j] <- c
                zs[i * d + j] <- z
                logDet <- logDet + log c
                quad <- quad + y * z
            logTerms[i] <- log (mixture.Weight i) - 0.5 * (float d * log2Pi + logDet + quad)
        let logP = Numeric.LogSumExp(ReadOnlySpan logTerms)
        let resp = logTerms |> Array.map (fun v -> exp (v - logP))
        { Dim = d; Count = k; Alpha = alpha; Sigma = sigma; C = cs; Z = zs; LogTerms = logTerms; Resp = resp; LogDensity = logP }

    /// sum over components in the selection of r_k a_k, a_k = -U_k z_k (the component scores).
    let weightedScore (mixture: GaussianMixture) (e: Evaluation) (include': int -> bool) =
        let d = e.Dim
        let s = Array.zeroCreate d
        for i in 0 .. e.Count - 1 do
            if include' i && e.Resp[i] > 0.0 then
                mixture.AddRotated(i, -e.Resp[i], (fun j -> e.Z[i * d + j]), s)
        s
