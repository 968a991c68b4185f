/// Exact draws and moments written independently of the oracle (dense MathNet matrices instead of
/// the oracle's per-component eigenbasis), so that tests compare two code paths: data draws
/// x0 ~ p_0, exact posterior draws x0 ~ p(x0 | x_t = x) (THEORY section 2), and the mean and
/// covariance of p_t.
module Verified.Verification.Exact

open System
open MathNet.Numerics.LinearAlgebra
open Verified.Theory
open Verified.Numerics

let private matrix (a: float[,]) = Matrix<float>.Build.DenseOfArray a
let private vector (a: float[]) = Vector<float>.Build.DenseOfArray a

/// A symmetric PSD square root L (L L^T = A) by eigen-decomposition (valid for singular A).
let sqrtPsd (a: Matrix<float>) =
    let sym = 0.5 * (a + a.Transpose())
    let evd = sym.Evd(Symmetricity.Symmetric)
    let root = evd.EigenValues |> Seq.map (fun z -> sqrt (max 0.0 z.Real)) |> Vector<float>.Build.DenseOfEnumerable
    evd.EigenVectors * Matrix<float>.Build.DiagonalOfDiagonalVector root

let private gaussianDraw (mean: Vector<float>) (root: Matrix<float>) (rng: Xoshiro256) =
    let z = Vector<float>.Build.Dense(mean.Count, fun _ -> rng.NextGaussian())
    (mean + root * z).ToArray()

let private pick (weights: float[]) (u: float) =
    let mutable acc, k = 0.0, 0
    while k < weights.Length - 1 && u >= acc + weights[k] do
        acc <- acc + weights[k]
        k <- k + 1
    k

/// One draw from p_0 = sum_k w_k N(mu_k, S_k), with its component index.
let drawData (mixture: GaussianMixture) (rng: Xoshiro256) =
    let k = pick mixture.Weights (rng.NextUniform())
    k, gaussianDraw (vector (mixture.Mean k)) (sqrtPsd (matrix (mixture.Covariance k))) rng

/// The forward process by its definition [7]: x_t = alpha x0 + sigma eps, x0 ~ p_0, eps ~ N(0, I).
let drawForward (mixture: GaussianMixture) (schedule: Schedule) (t: float) (rng: Xoshiro256) =
    let _, x0 = drawData mixture rng
    let a, s = schedule.Alpha t, schedule.Sigma t
    x0 |> Array.map (fun v -> a * v + s * rng.NextGaussian())

/// The exact posterior p(x0 | x_t = x): weights r_k prop. to w_k N(x; alpha mu_k, C_k) and components
/// N(m_k, P_k), m_k = mu_k + alpha S_k C_k^{-1}(x - alpha mu_k), P_k = S_k - alpha^2 S_k C_k^{-1} S_k.
type Posterior(mixture: GaussianMixture, schedule: Schedule, x: float[], t: float) =
    let a, s = schedule.Alpha t, schedule.Sigma t
    let xv = vector x
    let d = x.Length
    let parts =
        [| for k in 0 .. mixture.Count - 1 do
               let sk = matrix (mixture.Covariance k)
               let mu = vector (mixture.Mean k)
               let c = a * a * sk + s * s * Matrix<float>.Build.DenseIdentity d
               let chol = c.Cholesky()
               let r = xv - a * mu
               let solved = chol.Solve r
               let logN = -0.5 * (float d * log (2.0 * Math.PI) + chol.DeterminantLn + r.DotProduct solved)
               let m = mu + a * (sk * solved)
               let p = sk - a * a * (sk * chol.Solve sk)
               yield log (mixture.Weight k) + logN, m, sqrtPsd p |]
    let logMax = parts |> Array.map (fun (l, _, _) -> l) |> Array.max
    let weights =
        let raw = parts |> Array.map (fun (l, _, _) -> exp (l - logMax))
        let total = Array.sum raw
        raw |> Array.map (fun w -> w / total)
    /// r_k(x).
    member _.Weights = Array.copy weights
    /// E[x0 | x] = sum_k r_k m_k.
    member _.Mean = Array.init d (fun i -> Array.fold2 (fun acc w (_, (m: Vector<float>), _) -> acc + w * m[i]) 0.0 weights parts)
    /// One exact draw x0 ~ p(x0 | x_t = x).
    member _.Draw(rng: Xoshiro256) =
        let _, m, root = parts[pick weights (rng.NextUniform())]
        gaussianDraw m root rng

/// Mean of p_t: sum_k w_k alpha mu_k.
let marginalMean (mixture: GaussianMixture) (schedule: Schedule) (t: float) =
    let a = schedule.Alpha t
    Array.init mixture.Dimension (fun i -> Seq.sum (seq { for k in 0 .. mixture.Count - 1 -> mixture.Weight k * a * (mixture.Mean k)[i] }))

/// Covariance of p_t: sum_k w_k (alpha^2 S_k + sigma^2 I + alpha^2 mu_k mu_k^T) - m m^T.
let marginalCovariance (mixture: GaussianMixture) (schedule: Schedule) (t: float) =
    let a, s = schedule.Alpha t, schedule.Sigma t
    let d = mixture.Dimension
    let m = marginalMean mixture schedule t
    Array2D.init d d (fun i j ->
        let second =
            Seq.sum (seq {
                for k in 0 .. mixture.Count - 1 ->
                    let mu, sk = mixture.Mean k, mixture.Covariance k
                    mixture.Weight k * (a * a * (sk[i, j] + mu[i] * mu[j]) + (if i = j then s * s else 0.0)) })
        second - m[i] * m[j])

/// n independent draws, draw i from its own stream (seed, i): independent of thread count.
let drawMany (n: int) (seed: uint64) (draw: Xoshiro256 -> 'a) =
    Array.Parallel.init n (fun i -> draw (Xoshiro256(Xoshiro256.Derive(seed, uint64 i))))
