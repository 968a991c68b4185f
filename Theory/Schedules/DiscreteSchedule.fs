namespace Verified.Theory

open System
open System.Runtime.InteropServices

/// How a sampler picks its inference timesteps from the training chain (diffusers' names).
type TimestepSpacing =
    /// round(linspace(0, T-1, n)), reversed.
    | Linspace = 0
    /// j * (T div n) for j = 0..n-1, reversed, plus an offset (the DDIM paper's choice).
    | Leading = 1
    /// round(arange(T, 0, -T/n)) - 1: always includes the last training step.
    | Trailing = 2

/// <summary>
/// A discrete DDPM chain q(x_i | x_{i-1}) = N(sqrt(1 - beta_i) x_{i-1}, beta_i I), i = 1..N (THEORY [63]),
/// with abar_i = prod_{j &lt;= i} (1 - beta_j), abar_0 = 1 (C7.1) and the posterior variance
/// beta~_i = (1 - abar_{i-1}) beta_i / (1 - abar_i) (C7.6).
/// </summary>
/// <remarks>Indices are 1-based as in the tutorial; diffusers' 0-based timestep k is our i = k + 1.
/// Step i sits at continuous time t_i = i / N (C7.2).</remarks>
[<Sealed; AllowNullLiteral>]
type DiscreteSchedule private (name: string, betas: float[]) =
    let n = betas.Length
    // log abar accumulated with log1p: abar_N can be ~1e-5 and the products lose nothing this way.
    let logAlphaBar =
        let a = Array.zeroCreate (n + 1)
        for i in 1 .. n do a[i] <- a[i - 1] + Numeric.Log1P(-betas[i - 1])
        a

    let checkStep (name: string) (lo: int) (i: int) =
        if i < lo || i > n then
            raise (ArgumentOutOfRangeException(name, i, sprintf "%s must be in %d..%d, got %d" name lo n i))

    member _.Name = name
    /// N, the number of training steps.
    member _.Count = n
    /// beta_i, i = 1..N.
    member _.Beta(i: int) = checkStep "i" 1 i; betas[i - 1]
    /// alpha_i = 1 - beta_i, i = 1..N.
    member _.AlphaStep(i: int) = checkStep "i" 1 i; 1.0 - betas[i - 1]
    /// abar_i, i = 0..N (abar_0 = 1).
    member _.AlphaBar(i: int) = checkStep "i" 0 i; exp logAlphaBar[i]
    /// 1 - abar_i computed without cancellation, i = 0..N.
    member _.OneMinusAlphaBar(i: int) = checkStep "i" 0 i; -Numeric.ExpM1 logAlphaBar[i]
    /// <summary>beta~_i = (1 - abar_{i-1}) beta_i / (1 - abar_i) (C7.6); beta~_1 = 0 (C7.8c).</summary>
    member this.BetaTilde(i: int) =
        checkStep "i" 1 i
        this.OneMinusAlphaBar(i - 1) * betas[i - 1] / this.OneMinusAlphaBar i
    /// t_i = i / N, the continuous time of step i (C7.2).
    member _.Time(i: int) = checkStep "i" 0 i; float i / float n
    /// A copy of (beta_1, ..., beta_N).
    member _.Betas = Array.copy betas

    /// <summary>The continuised chain (C7.2-C7.4): a VP schedule on [0, 1] whose beta(t) is constant,
    /// N B_i, on each (t_{i-1}, t_i], with B_i = -log(1 - beta_i), so that alpha(t_i) = sqrt(abar_i)
    /// and 1 - exp(-int beta) over step i is exactly beta_i.</summary>
    member this.Continuise() : Schedule =
        let bigBStep = betas |> Array.map (fun b -> -Numeric.Log1P(-b))
        let cumulative = logAlphaBar |> Array.map (fun l -> -l)
        let nf = float n
        let stepOf (t: float) =
            let u = t * nf
            let r = Math.Round u
            let i = if abs (u - r) < 1e-9 * nf then int r else int (ceil u)
            max 1 (min n i)
        let bigB t = let i = stepOf t in cumulative[i - 1] + (t * nf - float (i - 1)) * bigBStep[i - 1]
        let beta t = nf * bigBStep[stepOf t - 1]
        let lambdaInv lam =
            let b = Numeric.Softplus(-2.0 * lam)
            if b <= 0.0 then 0.0
            elif b >= cumulative[n] then 1.0
            else
                let i = (Array.BinarySearch(cumulative, b) |> fun j -> if j >= 0 then max j 1 else ~~~j)
                (float (i - 1) + (b - cumulative[i - 1]) / bigBStep[i - 1]) / nf
        VariancePreserving.schedule (sprintf "continuised(%s)" name) ScheduleFamily.PiecewiseVp bigB beta lambdaInv

    /// <summary>A chain from explicit betas.</summary>
    /// <param name="betas">each in (0, 1), finite; at least one.</param>
    static member FromBetas(betas: float[], [<Optional; DefaultParameterValue("custom")>] name: string) =
        Guard.notNull "betas" betas
        Guard.atLeast "betas.Length" 1 betas.Length
        betas |> Array.iteri (fun i b ->
            if Double.IsNaN b || b <= 0.0 || b >= 1.0 then
                invalidArg "betas" (sprintf "betas[%d] must lie in (0, 1), got %g" i b))
        DiscreteSchedule(name, Array.copy betas)

    /// DDPM linear betas: linspace(betaStart, betaEnd, n) (defaults 1e-4..0.02 as in Ho et al.).
    static member Linear(n: int, [<Optional; DefaultParameterValue(1e-4)>] betaStart: float,
                         [<Optional; DefaultParameterValue(0.02)>] betaEnd: float) =
        Guard.atLeast "n" 1 n
        let at j = if n = 1 then betaStart else betaStart + (betaEnd - betaStart) * float j / float (n - 1)
        DiscreteSchedule.FromBetas(Array.init n at, sprintf "linear(%d)" n)

    /// Scaled-linear betas (Stable Diffusion): linspace(sqrt b0, sqrt b1, n)^2, defaults 0.00085..0.012.
    static member ScaledLinear(n: int, [<Optional; DefaultParameterValue(0.00085)>] betaStart: float,
                               [<Optional; DefaultParameterValue(0.012)>] betaEnd: float) =
        Guard.atLeast "n" 1 n
        Guard.positive "betaStart" betaStart
        Guard.positive "betaEnd" betaEnd
        let s0, s1 = sqrt betaStart, sqrt betaEnd
        let at j = let s = if n = 1 then s0 else s0 + (s1 - s0) * float j / float (n - 1) in s * s
        DiscreteSchedule.FromBetas(Array.init n at, sprintf "scaled-linear(%d)" n)

    /// Cosine betas (Nichol and Dhariwal): beta_i = min(1 - abar(i/N)/abar((i-1)/N), maxBeta).
    static member Cosine(n: int, [<Optional; DefaultParameterValue(0.008)>] offset: float,
                         [<Optional; DefaultParameterValue(0.999)>] maxBeta: float) =
        Guard.atLeast "n" 1 n
        Guard.positive "offset" offset
        if not (maxBeta > 0.0 && maxBeta < 1.0) then
            invalidArg "maxBeta" (sprintf "maxBeta must lie in (0, 1), got %g" maxBeta)
        let f (t: float) = let c = cos ((t + offset) / (1.0 + offset) * Math.PI / 2.0) in c * c
        let at j = min maxBeta (1.0 - f (float (j + 1) / float n) / f (float j / float n))
        DiscreteSchedule.FromBetas(Array.init n at, sprintf "cosine(%d)" n)

    /// <summary>Discretise a VP schedule on t_i = i/N: beta_i = 1 - alpha(t_i)^2 / alpha(t_{i-1})^2,
    /// which is 1 - exp(-B_i) with B_i = int beta over step i (C7.4).</summary>
    static member FromContinuous(schedule: Schedule, n: int) =
        Guard.notNull "schedule" schedule
        Guard.atLeast "n" 1 n
        if not schedule.IsVariancePreserving then
            invalidArg "schedule" (sprintf "schedule must be variance preserving (VP), got %s" schedule.Name)
        if not schedule.TMaxIncluded || schedule.TMax <> 1.0 || schedule.TMin <> 0.0 then
            invalidArg "schedule" (sprintf "schedule must have the closed domain [0, 1], got %s" schedule.Name)
        let logAlpha t = log (schedule.Alpha t)
        let at j = -Numeric.ExpM1(2.0 * (logAlpha (float (j + 1) / float n) - logAlpha (float j / float n)))
        DiscreteSchedule.FromBetas(Array.init n at, sprintf "discretised(%s,%d)" schedule.Name n)

    /// <summary>Inference steps chosen from a chain of trainSteps steps, as 1-based step indices,
    /// strictly decreasing (diffusers' timestep k is our k + 1).</summary>
    /// <param name="inferenceSteps">1..trainSteps.</param>
    /// <param name="stepsOffset">added to Leading indices (Stable Diffusion uses 1); 0 otherwise.</param>
    static member Timesteps(spacing: TimestepSpacing, trainSteps: int, inferenceSteps: int,
                            [<Optional; DefaultParameterValue(0)>] stepsOffset: int) : int[] =
        Guard.atLeast "trainSteps" 1 trainSteps
        if inferenceSteps < 1 || inferenceSteps > trainSteps then
            raise (ArgumentOutOfRangeException("inferenceSteps", inferenceSteps,
                    sprintf "inferenceSteps must be in 1..trainSteps (%d), got %d" trainSteps inferenceSteps))
        if stepsOffset < 0 then invalidArg "stepsOffset" (sprintf "stepsOffset must be >= 0, got %d" stepsOffset)
        let n, tr = inferenceSteps, trainSteps
        let zeroBased =
            match spacing with
            | TimestepSpacing.Linspace ->
                Array.init n (fun j ->
                    let v = if n = 1 then 0.0 else float (tr - 1) * float j / float (n - 1)
                    int (Math.Round(v, MidpointRounding.ToEven)))
            | TimestepSpacing.Leading -> Array.init n (fun j -> j * (tr / n) + stepsOffset)
            | TimestepSpacing.Trailing ->
                let ratio = float tr / float n
                Array.init n (fun j -> int (Math.Round(float tr - float (n - 1 - j) * ratio, MidpointRounding.ToEven)) - 1)
            | other -> invalidArg "spacing" (sprintf "spacing must be Linspace, Leading or Trailing, got %A" other)
        let steps = zeroBased |> Array.rev |> Array.map (fun k -> k + 1)
        if steps[0] > tr then
            invalidArg "stepsOffset" (sprintf "stepsOffset %d pushes the first step to %d > trainSteps %d" stepsOffset steps[0] tr)
        steps
