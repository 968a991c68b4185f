/// Discrete DDPM chains and their continuisation (THEORY section 7, C7.1-C7.4; C7.8b-c).
module Verified.Verification.Theory.DiscreteScheduleTests

open Expecto
open Verified.Theory
open Verified.Verification

/// Composite Simpson rule on [a, b] with n (even) panels: the independent route to B_i = int beta.
let private simpson (f: float -> float) (a: float) (b: float) (n: int) =
    let h = (b - a) / float n
    let inner = Seq.sum (seq { for i in 1 .. n - 1 -> (if i % 2 = 1 then 4.0 else 2.0) * f (a + float i * h) })
    h / 3.0 * (f a + inner + f b)

let private chains () =
    [ DiscreteSchedule.Linear 1000; DiscreteSchedule.ScaledLinear 1000; DiscreteSchedule.Cosine 1000; DiscreteSchedule.Linear 50 ]

let tests =
    testList "Theory.DiscreteSchedule" [
        testCase "[C7.1] abar_i matches the chain's own mean/variance recursion" <| fun () ->
            // Compose x_i = sqrt(1 - beta_i) x_{i-1} + sqrt(beta_i) z: mean factor m_i, noise variance v_i.
            for chain in chains () do
                let mutable m, v = 1.0, 0.0
                for i in 1 .. chain.Count do
                    let b = chain.Beta i
                    m <- m * sqrt (1.0 - b)
                    v <- (1.0 - b) * v + b
                    Expect.floatClose Accuracy.high (m * m) (chain.AlphaBar i) (sprintf "%s mean at %d" chain.Name i)
                    Expect.floatClose Accuracy.high v (chain.OneMinusAlphaBar i) (sprintf "%s variance at %d" chain.Name i)

        testCase "[C7.2] continuised chain: alpha(t_i) = sqrt(abar_i), sigma(t_i) = sqrt(1 - abar_i)" <| fun () ->
            // abar_i as the running product of the chain's published (1 - beta_j), not through the chain's stored
            // log abar (which Continuise reads too), at the knots t_i = i/N.
            for chain in chains () do
                let s = chain.Continuise()
                let mutable product = 1.0
                for i in 0 .. chain.Count do
                    if i > 0 then product <- product * (1.0 - chain.Betas[i - 1])
                    let t = float i / float chain.Count
                    Expect.floatClose Accuracy.high (s.Alpha t) (sqrt product) (sprintf "%s alpha at %d" chain.Name i)
                    Expect.floatClose Accuracy.high (s.Sigma t) (sqrt (1.0 - product)) (sprintf "%s sigma at %d" chain.Name i)

        testCase "[C7.3] continuised chain is the VP-SDE with beta(t) = -2 d log alpha / dt (finite differences)" <| fun () ->
            for chain in chains () do
                let s = chain.Continuise()
                let n = float chain.Count
                for i in [ 1; chain.Count / 3; chain.Count ] do
                    let mid = (float i - 0.5) / n // derivative inside step i, away from the knots
                    let h = 0.05 / n
                    let beta = -2.0 * Differences.derivative (fun u -> log (s.Alpha u)) mid h
                    // a central difference with h = 0.05/n inside a step: truncation ~h^2 |(log alpha)'''|
                    Expect.isLessThan (Tolerances.relativeScalar 1.0 (s.G2 mid) beta) 1e-7 (sprintf "%s step %d" chain.Name i)

        testCase "[C7.4] discretising VP-linear: beta_i = 1 - exp(-B_i), B_i = int beta over the step (Simpson)" <| fun () ->
            let vp = Schedules.VpLinear()
            for n in [ 10; 100; 1000 ] do
                let chain = DiscreteSchedule.FromContinuous(vp, n)
                for i in 1 .. n do
                    let bigB = simpson vp.G2 (float (i - 1) / float n) (float i / float n) 8
                    Expect.floatClose Accuracy.high (chain.Beta i) (1.0 - exp -bigB) (sprintf "n=%d i=%d" n i)

        testCase "[C7.8] (b) beta~_i - beta(t_i) h = O(h^2) on interior steps; (c) beta~_1 = 0 while B_1 > 0" <| fun () ->
            let vp = Schedules.VpLinear()
            let gapAt (n: int) =
                let chain = DiscreteSchedule.FromContinuous(vp, n)
                let i = n / 2 // t_i = 1/2 fixed as n grows: an interior step
                abs (chain.BetaTilde i - vp.G2(chain.Time i) / float n)
            let ratios = [ for n in [ 64; 128; 256; 512 ] -> gapAt n / gapAt (2 * n) ]
            for r in ratios do Expect.isGreaterThan r 3.5 (sprintf "gap ratios %A should approach 4 (order h^2)" ratios)
            for n in [ 10; 1000 ] do
                let chain = DiscreteSchedule.FromContinuous(vp, n)
                Expect.equal (chain.BetaTilde 1) 0.0 "beta~_1 = 0 exactly"
                Expect.isGreaterThan (chain.Beta 1) 0.0 "B_1 > 0: first-order matching fails at the final step"

        testCase "Timestep spacings reproduce diffusers' published 10-of-1000 schedules (+1 for 1-based steps)" <| fun () ->
            // diffusers docs: leading [900..0 step 100], trailing [999..99 step 100], linspace [999, 888, ..., 0]
            let expected spacing =
                match spacing with
                | TimestepSpacing.Leading -> [| for k in 9 .. -1 .. 0 -> 100 * k + 1 |]
                | TimestepSpacing.Trailing -> [| for k in 10 .. -1 .. 1 -> 100 * k - 1 + 1 |]
                | _ -> [| for k in 9 .. -1 .. 0 -> 111 * k + 1 |]
            for spacing in [ TimestepSpacing.Leading; TimestepSpacing.Trailing; TimestepSpacing.Linspace ] do
                Expect.sequenceEqual (DiscreteSchedule.Timesteps(spacing, 1000, 10)) (expected spacing) (string spacing)

        testCase "Timestep spacings are strictly decreasing and inside 1..T for every n" <| fun () ->
            for spacing in [ TimestepSpacing.Leading; TimestepSpacing.Trailing; TimestepSpacing.Linspace ] do
                for n in [ 1; 2; 7; 50; 333; 999; 1000 ] do
                    let steps = DiscreteSchedule.Timesteps(spacing, 1000, n)
                    Expect.equal steps.Length n "length"
                    steps |> Array.pairwise |> Array.iter (fun (a, b) -> Expect.isGreaterThan a b (sprintf "%A n=%d" spacing n))
                    Expect.isTrue (steps |> Array.forall (fun i -> i >= 1 && i <= 1000)) (sprintf "%A n=%d range" spacing n)
    ]
