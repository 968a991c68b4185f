/// The PF-ODE flow map of Gaussian data (THEORY "Flow maps"): the closed form against an independent
/// Runge–Kutta integration of the oracle's velocity, its semigroup property (CM.1), its pushforward of
/// p_T to p_t (CM.2), and the exact variation-of-constants form of the ODE (C5.5).
module Verified.Verification.Claims.FlowMapTests

open Expecto
open Verified.Theory
open Verified.Verification
open Verified.Verification.Generators
open Verified.Verification.Properties

/// The first component of a generated mixture as Gaussian data.
let gaussianOf (spec: MixtureSpec) = { spec with Components = [ spec.Components.Head ] }.Build()

/// Classical RK4 on dx/dt = v(x, t) from t0 to t1 in n steps (either direction).
let rk4 (v: float[] -> float -> float[]) (x: float[]) (t0: float) (t1: float) (n: int) =
    let h = (t1 - t0) / float n
    let add (a: float[]) (c: float) (b: float[]) = Array.map2 (fun u w -> u + c * w) a b
    let mutable y = Array.copy x
    for k in 0 .. n - 1 do
        let t = t0 + float k * h
        let k1 = v y t
        let k2 = v (add y (h / 2.0) k1) (t + h / 2.0)
        let k3 = v (add y (h / 2.0) k2) (t + h / 2.0)
        let k4 = v (add y h k3) (t + h)
        y <- Array.init y.Length (fun i -> y[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))
    y

/// Three times in a schedule's interior, from three fractions.
let private times (s: Schedule) (a: InteriorFraction) (b: InteriorFraction) (c: InteriorFraction) =
    interiorTime s a.Value, interiorTime s b.Value, interiorTime s c.Value

/// C5.5: (alpha_s/alpha_t) x_t - alpha_s int_{lambda_t}^{lambda_s} e^{-lambda} eps*(x_lambda) dlambda along the exact
/// trajectory x_lambda = Phi(x_t, t -> t(lambda)), by composite Simpson in lambda with n panels.
let variationOfConstants (data: GaussianFlow) (oracle: MixtureOracle) (x: float[]) (t: float) (s: float) (n: int) =
    let sch = data.Schedule
    let lt, ls = sch.Lambda t, sch.Lambda s
    let integrand (lam: float) =
        let u = sch.LambdaInverse lam
        oracle.ExpectedNoise(data.FlowMap(x, t, u), u) |> Array.map (fun e -> exp -lam * e)
    let h = (ls - lt) / float n
    let integral =
        Array.init x.Length (fun i ->
            h / 3.0 * Seq.sum (seq { for k in 0 .. n -> (if k = 0 || k = n then 1.0 elif k % 2 = 1 then 4.0 else 2.0) * (integrand (lt + float k * h))[i] }))
    Array.init x.Length (fun i -> sch.Alpha s / sch.Alpha t * x[i] - sch.Alpha s * integral[i])

let tests =
    testList "Claims.FlowMap" [
        testPropN 25 "[CM.1] flow map closed form equals RK4 integration of the oracle velocity, and Phi(Phi(x, t->u), u->s) = Phi(x, t->s)" <| fun (spec: MixtureSpec) (ValidSchedule sch) (a: InteriorFraction) (b: InteriorFraction) (c: InteriorFraction) (p: PointSeed) ->
            let mixture = gaussianOf spec
            let data, oracle = GaussianFlow(mixture, sch), MixtureOracle(mixture, sch)
            let t, u, s = times sch a b c
            let x = pointNear mixture sch t p.Value
            let direct = data.FlowMap(x, t, s)
            let integrated = rk4 (fun y w -> oracle.Velocity(y, w)) x t s 400
            Expect.isLessThan (Tolerances.relativeError 1.0 direct integrated) Tolerances.integrated "closed form vs RK4"
            Expect.isLessThan (Tolerances.relativeError 1.0 (data.FlowMap(data.FlowMap(x, t, u), u, s)) direct) Tolerances.twoRoutes "semigroup"

        testProp "[CM.2] pushforward: Phi(., T->t) maps N(m_T, C_T) to N(m_t, C_t) (affine map applied to the dense moments)" <| fun (spec: MixtureSpec) (ValidSchedule sch) (a: InteriorFraction) (b: InteriorFraction) ->
            let mixture = gaussianOf spec
            let data = GaussianFlow(mixture, sch)
            let tBig, tSmall = max (interiorTime sch a.Value) (interiorTime sch b.Value), min (interiorTime sch a.Value) (interiorTime sch b.Value)
            let mat, off = data.FlowMapMatrix(tBig, tSmall)
            let d = mixture.Dimension
            let mT, cT = Exact.marginalMean mixture sch tBig, Exact.marginalCovariance mixture sch tBig
            let mt, ct = Exact.marginalMean mixture sch tSmall, Exact.marginalCovariance mixture sch tSmall
            let pushedMean = Array.init d (fun i -> off[i] + Seq.sum (seq { for j in 0 .. d - 1 -> mat[i, j] * mT[j] }))
            let pushedCov = Array2D.init d d (fun i j -> Seq.sum (seq { for k in 0 .. d - 1 do for l in 0 .. d - 1 -> mat[i, k] * cT[k, l] * mat[j, l] }))
            let flat (m: float[,]) = [| for i in 0 .. d - 1 do for j in 0 .. d - 1 -> m[i, j] |]
            Expect.isLessThan (Tolerances.relativeError 1.0 pushedMean mt) Tolerances.twoRoutes "mean"
            Expect.isLessThan (Tolerances.relativeError 1.0 (flat pushedCov) (flat ct)) Tolerances.twoRoutes "covariance"

        testPropN 25 "[C5.5] variation of constants: x_s = (alpha_s/alpha_t) x_t - alpha_s int e^{-lambda} eps* dlambda along the exact trajectory" <| fun (spec: MixtureSpec) (ValidSchedule sch) (a: InteriorFraction) (b: InteriorFraction) (p: PointSeed) ->
            let mixture = gaussianOf spec
            let data, oracle = GaussianFlow(mixture, sch), MixtureOracle(mixture, sch)
            let t, s = max (interiorTime sch a.Value) (interiorTime sch b.Value), min (interiorTime sch a.Value) (interiorTime sch b.Value)
            if t - s > 1e-3 * (sch.TMax - sch.TMin) then
                let x = pointNear mixture sch t p.Value
                Expect.isLessThan (Tolerances.relativeError 1.0 (variationOfConstants data oracle x t s 400) (data.FlowMap(x, t, s))) Tolerances.integrated "exact solution"
    ]
