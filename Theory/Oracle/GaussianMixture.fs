namespace Verified.Theory

open System
open System.Runtime.InteropServices
open MathNet.Numerics.LinearAlgebra

/// <summary>
/// Data law p_0 = sum_k w_k N(mu_k, S_k) in R^d (THEORY section 2): weights w_k &gt; 0 summing to 1,
/// S_k symmetric positive semi-definite (S_k = 0 is a point mass), optional class labels (section 6).
/// </summary>
/// <remarks>
/// Each covariance is diagonalised once, S_k = U_k diag(l_k) U_k^T. At time t the noised covariance
/// C_k = alpha^2 S_k + sigma^2 I shares the eigenvectors, with eigenvalues alpha^2 l + sigma^2, so every
/// solve, log-determinant and trace at every t is a diagonal operation: no explicit inverse and no
/// per-t factorisation, and singular S_k need no special case.
/// </remarks>
[<Sealed; AllowNullLiteral>]
type GaussianMixture(weights: float[], means: float[][], covariances: float[,][], labels: int[]) =
    do
        Guard.notNull "weights" weights
        Guard.notNull "means" means
        Guard.notNull "covariances" covariances
        Guard.notNull "labels" labels
        if weights.Length = 0 then invalidArg "weights" "weights must have at least one component, got an empty array"
    let k = weights.Length
    do
        if means.Length <> k then
            invalidArg "means" (sprintf "means must have one entry per weight (%d), got %d" k means.Length)
        if covariances.Length <> k then
            invalidArg "covariances" (sprintf "covariances must have one entry per weight (%d), got %d" k covariances.Length)
        if labels.Length <> k then
            invalidArg "labels" (sprintf "labels must have one entry per weight (%d), got %d" k labels.Length)
        weights |> Array.iteri (fun i w ->
            if Double.IsNaN w || Double.IsInfinity w || w <= 0.0 then
                invalidArg "weights" (sprintf "weights[%d] must be finite and > 0, got %g" i w))
        let total = Array.sum weights
        if abs (total - 1.0) > 1e-9 then
            invalidArg "weights" (sprintf "weights must sum to 1 (within 1e-9), got %.17g" total)
        labels |> Array.iteri (fun i c ->
            if c < 0 then invalidArg "labels" (sprintf "labels[%d] must be >= 0, got %d" i c))
    let d =
        if isNull means[0] || means[0].Length = 0 then
            invalidArg "means" "means[0] must be a non-empty vector"
        means[0].Length
    do
        for i in 0 .. k - 1 do
            let m = means[i]
            if isNull m || m.Length <> d then
                invalidArg "means" (sprintf "means[%d] must have length %d (the dimension of means[0]), got %s"
                                        i d (if isNull m then "null" else string m.Length))
            Guard.allFinite (sprintf "means[%d]" i) (ReadOnlySpan m)

    /// Eigen-decomposition of each S_k after checking symmetry and PSD.
    let eigen =
        Array.init k (fun i ->
            let s = covariances[i]
            if isNull s || Array2D.length1 s <> d || Array2D.length2 s <> d then
                invalidArg "covariances" (sprintf "covariances[%d] must be %dx%d, got %s" i d d
                                              (if isNull s then "null" else sprintf "%dx%d" (Array2D.length1 s) (Array2D.length2 s)))
            let mutable scale = 0.0
            for r in 0 .. d - 1 do
                for c in 0 .. d - 1 do
                    let v = s[r, c]
                    if Double.IsNaN v || Double.IsInfinity v then
                        invalidArg "covariances" (sprintf "covariances[%d][%d,%d] must be finite, got %g" i r c v)
                    scale <- max scale (abs v)
            for r in 0 .. d - 1 do
                for c in r + 1 .. d - 1 do
                    if abs (s[r, c] - s[c, r]) > 1e-12 * max scale 1e-300 then
                        invalidArg "covariances" (sprintf "covariances[%d] must be symmetric: [%d,%d] = %g but [%d,%d] = %g"
                                                      i r c s[r, c] c r s[c, r])
            let evd = Matrix<float>.Build.DenseOfArray(s).Evd(Symmetricity.Symmetric)
            let values = evd.EigenValues |> Seq.map (fun z -> z.Real) |> Array.ofSeq
            let minEig = Array.min values
            // Round-off can make a PSD matrix's smallest eigenvalue slightly negative: tolerate d * eps * scale.
            if minEig < -1e-12 * float d * max scale 1.0 then
                invalidArg "covariances" (sprintf "covariances[%d] must be positive semi-definite, smallest eigenvalue %g" i minEig)
            let vectors = evd.EigenVectors
            let u = Array.init (d * d) (fun idx -> vectors[idx / d, idx % d]) // row-major: u[r*d + c] = U[r, c]
            let clamped = values |> Array.map (fun l -> if l < 0.0 then 0.0 else l)
            clamped, u)

    let rotatedMeans =
        Array.init k (fun i ->
            let _, u = eigen[i]
            Array.init d (fun c -> let mutable acc = 0.0 in (for r in 0 .. d - 1 do acc <- acc + u[r * d + c] * means[i][r]); acc))

    let classCount = (Array.max labels) + 1

    /// Unlabelled mixture (every component in class 0).
    new(weights: float[], means: float[][], covariances: float[,][]) =
        GaussianMixture(weights, means, covariances, (if isNull weights then null else Array.zeroCreate weights.Length))

    /// d, the dimension.
    member _.Dimension = d
    /// K, the number of components.
    member _.Count = k
    member _.Weight(i: int) = weights[i]
    member _.Weights = Array.copy weights
    member _.Mean(i: int) = Array.copy means[i]
    member _.Covariance(i: int) = Array2D.copy covariances[i]
    member _.Label(i: int) = labels[i]
    member _.Labels = Array.copy labels
    /// Number of classes (max label + 1).
    member _.ClassCount = classCount
    /// Prior pi_c = sum of w_k over components labelled c.
    member _.ClassPrior(c: int) =
        if c < 0 || c >= classCount then
            raise (ArgumentOutOfRangeException("c", c, sprintf "c must be in 0..%d, got %d" (classCount - 1) c))
        Seq.zip weights labels |> Seq.sumBy (fun (w, l) -> if l = c then w else 0.0)

    /// <summary>A copy of the eigenvalues l (ascending, clamped at 0) of component i's covariance S_i.</summary>
    member _.ComponentEigenvalues(i: int) = Array.copy (fst eigen[i])
    /// <summary>A copy of the eigenvectors of S_i, row-major: U[r, c] at index r*d + c, column c pairs with eigenvalue c.</summary>
    member _.ComponentEigenvectors(i: int) = Array.copy (snd eigen[i])
    /// Eigenvalues l_k (ascending, clamped at 0) of S_k.
    member internal _.Eigenvalues(i: int) = fst eigen[i]
    /// Eigenvectors of S_k, row-major: U[r, c] at index r*d + c; column c pairs with eigenvalue c.
    member internal _.Eigenvectors(i: int) = snd eigen[i]
    /// U_k^T mu_k.
    member internal _.RotatedMean(i: int) = rotatedMeans[i]
    member internal _.MeanUnsafe(i: int) = means[i]

    /// A single Gaussian N(mean, covariance).
    static member Gaussian(mean: float[], covariance: float[,]) =
        GaussianMixture([| 1.0 |], [| mean |], [| covariance |])

    /// <summary>Components N(mu_k, v_k I).</summary>
    /// <param name="variances">v_k &gt;= 0 (0 gives a point mass).</param>
    static member Isotropic(weights: float[], means: float[][], variances: float[],
                            [<Optional; DefaultParameterValue(null: int[])>] labels: int[]) =
        Guard.notNull "means" means
        Guard.notNull "variances" variances
        if variances.Length <> means.Length then
            invalidArg "variances" (sprintf "variances must have one entry per mean (%d), got %d" means.Length variances.Length)
        variances |> Array.iteri (fun i v -> Guard.nonNegative (sprintf "variances[%d]" i) v)
        let covs =
            Array.init means.Length (fun i ->
                let dim = if isNull means[i] then 0 else means[i].Length
                Array2D.init dim dim (fun r c -> if r = c then variances[i] else 0.0))
        let labs = if isNull labels then Array.zeroCreate means.Length else labels
        GaussianMixture(weights, means, covs, labs)

    /// Point masses at the given means (S_k = 0).
    static member PointMasses(weights: float[], means: float[][]) =
        Guard.notNull "means" means
        GaussianMixture.Isotropic(weights, means, Array.zeroCreate means.Length)

    /// <summary>The 2-D ring: K equally weighted components at radius r, angles 2 pi k / K, variance std^2 I.</summary>
    static member Ring(count: int, radius: float, std: float) =
        Guard.atLeast "count" 1 count
        Guard.positive "radius" radius
        Guard.nonNegative "std" std
        let means = Array.init count (fun i -> let a = 2.0 * Math.PI * float i / float count in [| radius * cos a; radius * sin a |])
        GaussianMixture.Isotropic(Array.create count (1.0 / float count), means, Array.create count (std * std))
