namespace Verified.Theory

open System
open System.Runtime.InteropServices
open MathNet.Numerics.LinearAlgebra

/// How a component's covariance was given: a full matrix, or its diagonal (no d x d storage: the
/// d = 1024, K = 256 regime would otherwise hold gigabytes of zeros).
type internal ComponentCovariance =
    | Full of float[,]
    | Diagonal of float[]

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
type GaussianMixture internal (weights: float[], means: float[][], covariances: ComponentCovariance[], labels: int[]) =
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

    /// Eigen-decomposition of each S_k after checking symmetry and PSD: (eigenvalues, eigenvectors row-major),
    /// eigenvectors ValueNone for a diagonal covariance (the basis is the identity).
    let eigen =
        Array.init k (fun i ->
            match covariances[i] with
            | Diagonal v ->
                if isNull v || v.Length <> d then
                    invalidArg "covariances" (sprintf "covariances[%d] must have %d diagonal entries, got %s" i d (if isNull v then "null" else string v.Length))
                v |> Array.iteri (fun j x ->
                    if Double.IsNaN x || Double.IsInfinity x || x < 0.0 then
                        invalidArg "covariances" (sprintf "covariances[%d] diagonal entry %d must be finite and >= 0, got %g" i j x))
                Array.copy v, ValueNone
            | Full s ->
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
                let isDiagonal = Seq.forall (fun r -> Seq.forall (fun c -> r = c || s[r, c] = 0.0) (seq { 0 .. d - 1 })) (seq { 0 .. d - 1 })
                if isDiagonal then
                    for j in 0 .. d - 1 do
                        if s[j, j] < 0.0 then
                            invalidArg "covariances" (sprintf "covariances[%d] must be positive semi-definite, diagonal entry %d is %g" i j s[j, j])
                    Array.init d (fun j -> s[j, j]), ValueNone
                else
                let evd = Matrix<float>.Build.DenseOfArray(s).Evd(Symmetricity.Symmetric)
                let values = evd.EigenValues |> Seq.map (fun z -> z.Real) |> Array.ofSeq
                let minEig = Array.min values
                // Round-off can make a PSD matrix's smallest eigenvalue slightly negative: tolerate d * eps * scale.
                if minEig < -1e-12 * float d * max scale 1.0 then
                    invalidArg "covariances" (sprintf "covariances[%d] must be positive semi-definite, smallest eigenvalue %g" i minEig)
                // Eigenvalues within round-off of 0 are 0: an exactly singular S stays singular (a degenerate
                // direction), instead of a 1e-16 variance that blows the score up at sigma = 0.
                let roundOff = 1e-14 * float d * max scale 1e-300
                let vectors = evd.EigenVectors
                let u = Array.init (d * d) (fun idx -> vectors[idx / d, idx % d]) // row-major: u[r*d + c] = U[r, c]
                (values |> Array.map (fun l -> if l < roundOff then 0.0 else l)), ValueSome u)

    /// U^T v for component i (a copy of v for a diagonal covariance).
    let rotate (i: int) (v: float[]) (dest: float[]) =
        match snd eigen[i] with
        | ValueNone -> Array.blit v 0 dest 0 d
        | ValueSome u ->
            for c in 0 .. d - 1 do
                let mutable acc = 0.0
                for r in 0 .. d - 1 do acc <- acc + u[r * d + c] * v[r]
                dest[c] <- acc

    let rotatedMeans = Array.init k (fun i -> let m = Array.zeroCreate d in rotate i means[i] m; m)

    let classCount = (Array.max labels) + 1

    static let full (covariances: float[,][]) =
        if isNull covariances then nullArg "covariances"
        covariances |> Array.map Full

    /// <summary>A labelled mixture: weights w_k &gt; 0 summing to 1, means mu_k (length d), symmetric PSD covariances S_k (d x d),
    /// class labels &gt;= 0.</summary>
    new(weights: float[], means: float[][], covariances: float[,][], labels: int[]) =
        GaussianMixture(weights, means, full covariances, labels)

    /// Unlabelled mixture (every component in class 0).
    new(weights: float[], means: float[][], covariances: float[,][]) =
        GaussianMixture(weights, means, full covariances, (if isNull weights then null else Array.zeroCreate weights.Length))

    /// d, the dimension.
    member _.Dimension = d
    /// K, the number of components.
    member _.Count = k
    member _.Weight(i: int) = weights[i]
    member _.Weights = Array.copy weights
    member _.Mean(i: int) = Array.copy means[i]
    /// A copy of S_i as a d x d matrix.
    member _.Covariance(i: int) =
        match covariances[i] with
        | Full s -> Array2D.copy s
        | Diagonal v -> Array2D.init d d (fun r c -> if r = c then v[r] else 0.0)
    member _.Label(i: int) = labels[i]
    member _.Labels = Array.copy labels
    /// Number of classes (max label + 1).
    member _.ClassCount = classCount
    /// Prior pi_c = sum of w_k over components labelled c.
    member _.ClassPrior(c: int) =
        if c < 0 || c >= classCount then
            raise (ArgumentOutOfRangeException("c", c, sprintf "c must be in 0..%d, got %d" (classCount - 1) c))
        Seq.zip weights labels |> Seq.sumBy (fun (w, l) -> if l = c then w else 0.0)

    /// <summary>True when component i's covariance is diagonal (its eigenbasis is the identity).</summary>
    member _.ComponentIsDiagonal(i: int) = (snd eigen[i]).IsNone
    /// <summary>A copy of the eigenvalues l of component i's covariance S_i (clamped at 0; ascending unless diagonal).</summary>
    member _.ComponentEigenvalues(i: int) = Array.copy (fst eigen[i])
    /// <summary>A copy of the eigenvectors of S_i, row-major: U[r, c] at index r*d + c, column c pairs with eigenvalue c
    /// (the identity for a diagonal covariance).</summary>
    member _.ComponentEigenvectors(i: int) =
        match snd eigen[i] with
        | ValueSome u -> Array.copy u
        | ValueNone -> Array.init (d * d) (fun idx -> if idx / d = idx % d then 1.0 else 0.0)
    /// Eigenvalues l_k of S_k.
    member internal _.Eigenvalues(i: int) = fst eigen[i]
    /// dest = U_i^T v.
    member internal _.Rotate(i: int, v: float[], dest: float[]) = rotate i v dest
    /// out += weight * U_i c, with c given by coordinate.
    member internal _.AddRotated(i: int, weight: float, c: int -> float, out: float[]) =
        match snd eigen[i] with
        | ValueNone -> for j in 0 .. d - 1 do out[j] <- out[j] + weight * c j
        | ValueSome u ->
            for j in 0 .. d - 1 do
                let cj = weight * c j
                if cj <> 0.0 then
                    for r in 0 .. d - 1 do out[r] <- out[r] + u[r * d + j] * cj
    /// U_i diag(v) U_i^T.
    member internal _.RotatedDiagonal(i: int, v: int -> float) =
        match snd eigen[i] with
        | ValueNone -> Array2D.init d d (fun r c -> if r = c then v r else 0.0)
        | ValueSome u ->
            let values = Array.init d v
            Array2D.init d d (fun r c ->
                let mutable acc = 0.0
                for j in 0 .. d - 1 do acc <- acc + u[r * d + j] * values[j] * u[c * d + j]
                acc)
    /// U_k^T mu_k.
    member internal _.RotatedMean(i: int) = rotatedMeans[i]

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
                Diagonal(Array.create dim variances[i]))
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
