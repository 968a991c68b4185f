/// Finite differences: the independent route against which closed forms are checked.
module Verified.Verification.Differences

/// Five-point central derivative of a scalar function: (-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h; error O(h^4).
let derivative (f: float -> float) (x: float) (h: float) =
    (-f (x + 2.0 * h) + 8.0 * f (x + h) - 8.0 * f (x - h) + f (x - 2.0 * h)) / (12.0 * h)

/// One-sided (forward) second-order derivative, for points at the left end of a domain.
let forwardDerivative (f: float -> float) (x: float) (h: float) =
    (-3.0 * f x + 4.0 * f (x + h) - f (x + 2.0 * h)) / (2.0 * h)

/// Gradient of a scalar field by five-point differences along each axis.
let gradient (f: float[] -> float) (x: float[]) (h: float) =
    Array.init x.Length (fun i ->
        let at (v: float) = let y = Array.copy x in y[i] <- v; f y
        derivative at x[i] h)

/// Jacobian J[i, j] = d g_i / d x_j of a vector field by five-point differences.
let jacobian (g: float[] -> float[]) (x: float[]) (h: float) =
    let d = x.Length
    let columns =
        Array.init d (fun j ->
            let at (v: float) = let y = Array.copy x in y[j] <- v; g y
            let p2, p1, m1, m2 = at (x[j] + 2.0 * h), at (x[j] + h), at (x[j] - h), at (x[j] - 2.0 * h)
            Array.init p1.Length (fun i -> (-p2[i] + 8.0 * p1[i] - 8.0 * m1[i] + m2[i]) / (12.0 * h)))
    Array2D.init columns[0].Length d (fun i j -> columns[j][i])

/// Divergence sum_i d g_i / d x_i by five-point differences.
let divergence (g: float[] -> float[]) (x: float[]) (h: float) =
    let j = jacobian g x h
    Seq.sum (seq { for i in 0 .. x.Length - 1 -> j[i, i] })

/// Laplacian of a scalar field by the second-order five-point stencil per axis:
/// (-f(x+2h) + 16 f(x+h) - 30 f(x) + 16 f(x-h) - f(x-2h)) / 12h^2.
let laplacian (f: float[] -> float) (x: float[]) (h: float) =
    let f0 = f x
    Seq.sum (seq {
        for i in 0 .. x.Length - 1 do
            let at (v: float) = let y = Array.copy x in y[i] <- v; f y
            yield (-at (x[i] + 2.0 * h) + 16.0 * at (x[i] + h) - 30.0 * f0 + 16.0 * at (x[i] - h) - at (x[i] - 2.0 * h)) / (12.0 * h * h) })
