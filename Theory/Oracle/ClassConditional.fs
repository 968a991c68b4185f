namespace Verified.Theory

open System

/// <summary>
/// Class-conditional view of a labelled mixture (THEORY section 6): p_t(c | x) = sum_{k in c} r_k(x),
/// the conditional score grad log p_t(x | c) (the score of the sub-mixture of class c), and the
/// classifier-guided and classifier-free-guided predictors.
/// </summary>
/// <remarks>Guidance convention (C6.3): eps_w = eps(x, t, null) + w (eps(x, t, c) - eps(x, t, null)),
/// so w = 1 is the conditional predictor and w = 0 the unconditional one. The other common form
/// (1 + w) eps_c - w eps_null is this one with w shifted by one.</remarks>
[<Sealed; AllowNullLiteral>]
type ClassConditional(oracle: MixtureOracle) =
    do Guard.notNull "oracle" oracle
    let mixture = oracle.Mixture
    let classes = mixture.ClassCount

    let checkClass (c: int) =
        if c < 0 || c >= classes then
            raise (ArgumentOutOfRangeException("c", c, sprintf "c must be a class label in 0..%d, got %d" (classes - 1) c))

    let checkScale (w: float) = Guard.finite "w" w

    member _.Oracle = oracle
    member _.ClassCount = classes

    /// <summary>p_t(c | x) for every class c (C6.2: the noisy classifier's optimum).</summary>
    member _.ClassPosterior(x: float[], t: float) =
        let e = oracle.Evaluate(x, t)
        let p = Array.zeroCreate classes
        for i in 0 .. e.Count - 1 do p[mixture.Label i] <- p[mixture.Label i] + e.Resp[i]
        p

    /// <summary>log p_t(c | x), by log-sum-exp over the class's components.</summary>
    member _.LogClassPosterior(x: float[], t: float, c: int) =
        checkClass c
        let e = oracle.Evaluate(x, t)
        let terms = [| for i in 0 .. e.Count - 1 do if mixture.Label i = c then yield e.LogTerms[i] |]
        Numeric.LogSumExp(ReadOnlySpan terms) - e.LogDensity

    /// <summary>grad log p_t(x | c): the score of the class-c sub-mixture (weights renormalised).</summary>
    member _.ConditionalScore(x: float[], t: float, c: int) =
        checkClass c
        let e = oracle.Evaluate(x, t)
        let mass = Seq.sum (seq { for i in 0 .. e.Count - 1 do if mixture.Label i = c then yield e.Resp[i] })
        if not (mass > 0.0) then
            invalidArg "x" (sprintf "p_t(c=%d | x) underflows to 0 at this x and t; the conditional score is not representable" c)
        Evaluation.weightedScore mixture e (fun i -> mixture.Label i = c) |> Array.map (fun v -> v / mass)

    /// <summary>grad log p_t(c | x) = grad log p_t(x | c) - grad log p_t(x) (C6.1).</summary>
    member this.ClassifierGradient(x: float[], t: float, c: int) =
        let sc = this.ConditionalScore(x, t, c)
        let s = oracle.Score(x, t)
        Array.init sc.Length (fun i -> sc[i] - s[i])

    /// <summary>Classifier guidance (C6.2, [54]-[57]): s_w = grad log p_t(x) + w grad log p_t(c | x).</summary>
    member this.ClassifierGuidedScore(x: float[], t: float, c: int, w: float) =
        checkScale w
        let s = oracle.Score(x, t)
        let g = this.ClassifierGradient(x, t, c)
        Array.init s.Length (fun i -> s[i] + w * g[i])

    /// <summary>Classifier guidance in noise form: eps* - w sigma grad log p_t(c | x).</summary>
    member this.ClassifierGuidedNoise(x: float[], t: float, c: int, w: float) =
        checkScale w
        let sigma = oracle.Schedule.Sigma t
        let eps = oracle.ExpectedNoise(x, t)
        let g = this.ClassifierGradient(x, t, c)
        Array.init eps.Length (fun i -> eps[i] - w * sigma * g[i])

    /// <summary>E[eps | x_t = x, c] = -sigma grad log p_t(x | c): the conditional noise predictor.</summary>
    member this.ConditionalNoise(x: float[], t: float, c: int) =
        let sigma = oracle.Schedule.Sigma t
        this.ConditionalScore(x, t, c) |> Array.map (fun v -> -sigma * v)

    /// <summary>Classifier-free guidance (C6.3, [58]-[60]): eps_w = eps_null + w (eps_c - eps_null),
    /// where eps_null = E[eps | x] is the optimum for the dropped (null) condition.</summary>
    member this.ClassifierFreeGuidedNoise(x: float[], t: float, c: int, w: float) =
        checkScale w
        let epsNull = oracle.ExpectedNoise(x, t)
        let epsC = this.ConditionalNoise(x, t, c)
        Array.init epsNull.Length (fun i -> epsNull[i] + w * (epsC[i] - epsNull[i]))

    /// <summary>The class-c sub-mixture as a mixture of its own (weights renormalised): the law p_0(x | c).</summary>
    member _.ClassMixture(c: int) =
        checkClass c
        let idx = [| for i in 0 .. mixture.Count - 1 do if mixture.Label i = c then yield i |]
        let total = idx |> Array.sumBy mixture.Weight
        let weights = idx |> Array.map (fun i -> mixture.Weight i / total)
        // renormalise exactly so the weights sum to 1 within round-off
        let sum = Array.sum weights
        GaussianMixture(weights |> Array.map (fun w -> w / sum), idx |> Array.map mixture.Mean,
                        idx |> Array.map mixture.Covariance, Array.create idx.Length c)
