/// Schedules and their derived coefficients (THEORY section 0, claims C0.1-C0.4).
module Verified.Verification.Theory.ScheduleTests

open Expecto
open Verified.Theory
open Verified.Verification
open Verified.Verification.Generators
open Verified.Verification.Properties

let private allSchedules () =
    [ Schedules.VpLinear(); Schedules.VpCosine(); Schedules.SubVp(); Schedules.Ve(); Schedules.Edm()
      Schedules.LinearInterpolant(); Schedules.Follmer(); DiscreteSchedule.Linear(1000).Continuise() ]

/// A grid over the whole domain, both ends included (the open end approached within 1e-6).
let private domainGrid (s: Schedule) =
    let hi = if s.TMaxIncluded then s.TMax else s.TMax - 1e-6 * (s.TMax - s.TMin)
    [ for i in 0 .. 200 -> s.TMin + (hi - s.TMin) * float i / 200.0 ]

/// Time step for differences at t, small against the distance to either end.
let private stepAt (s: Schedule) (t: float) = 1e-4 * min (t - s.TMin) (s.TMax - t) |> max 1e-9

let tests =
    testList "Theory.Schedules" [
        testCase "[C0.1] g2 >= 0 on the whole domain, ends included, for every schedule" <| fun () ->
            for s in allSchedules () do
                for t in domainGrid s do
                    let g2 = s.G2 t
                    Expect.isTrue (g2 >= 0.0 && not (System.Double.IsNaN g2)) (sprintf "%s: g2(%g) = %g" s.Name t g2)

        testProp "[C0.1] f and g2 agree with finite differences of alpha and sigma" <| fun (ValidSchedule s) (f: InteriorFraction) ->
            let t = interiorTime s f.Value
            let h = stepAt s t
            let fByDifferences = Differences.derivative (fun u -> log (s.Alpha u)) t h
            let varianceRate = Differences.derivative (fun u -> let v = s.Sigma u in v * v) t h
            let sigma = s.Sigma t
            let g2ByDifferences = varianceRate - 2.0 * fByDifferences * sigma * sigma
            Expect.isLessThan (Tolerances.relativeScalar 1.0 (s.Drift t) fByDifferences) Tolerances.timeDifference (sprintf "f at t=%g" t)
            Expect.isLessThan (Tolerances.relativeScalar 1.0 (s.G2 t) g2ByDifferences) Tolerances.timeDifference (sprintf "g2 at t=%g" t)

        testCase "[C0.2] VP schedules: alpha^2 + sigma^2 = 1 and g2 = beta(t) = -2 alpha'/alpha" <| fun () ->
            for s in [ Schedules.VpLinear(); Schedules.VpLinear(0.3, 12.0); Schedules.VpCosine(); DiscreteSchedule.Cosine(200).Continuise() ] do
                for t in domainGrid s |> List.filter (fun t -> t > 0.0) do
                    let a, sg = s.Alpha t, s.Sigma t
                    Expect.floatClose Accuracy.veryHigh (a * a + sg * sg) 1.0 (sprintf "%s alpha^2+sigma^2 at %g" s.Name t)
                    // -2 alpha'/alpha with alpha' by a one-sided difference of Alpha itself (not the schedule's AlphaDot,
                    // which the closed-form g2 may share). One-sided, either side: a continuised discrete schedule has
                    // kinks at its knots, where g2 is one of the two one-sided rates. Relative error O(delta).
                    let delta = 1e-7 * max t 1e-3
                    let rel side =
                        let u = t + side * delta
                        if s.IsInDomain u then Tolerances.relativeScalar 1.0 (s.G2 t) (-2.0 * (s.Alpha u - a) / (side * delta) / a) else infinity
                    // a one-sided difference with delta = 1e-7 t: truncation ~delta, round-off ~eps/delta
                    Expect.isLessThan (min (rel 1.0) (rel -1.0)) 1e-4 (sprintf "%s g2 vs -2a'/a (finite difference) at %g" s.Name t)
                    Expect.isLessThan (Tolerances.relativeScalar 1.0 (s.G2 t) (s.G2Generic t)) 1e-8 (sprintf "%s closed vs generic g2 at %g" s.Name t)

        testCase "[C0.2] VP-linear g2 equals the closed-form beta(t) = beta_min + (beta_max - beta_min) t" <| fun () ->
            let s = Schedules.VpLinear(0.1, 20.0)
            for t in domainGrid s do
                Expect.floatClose Accuracy.veryHigh (s.G2Generic t) (0.1 + 19.9 * t) (sprintf "t=%g" t)

        testCase "[C0.3] Föllmer schedule has unit diffusion g2 = 1 on its domain" <| fun () ->
            let s = Schedules.Follmer()
            for t in domainGrid s do
                Expect.floatClose Accuracy.veryHigh (s.G2 t) 1.0 (sprintf "t=%g" t)

        testCase "[C0.4] lambda is strictly decreasing on every domain" <| fun () ->
            for s in allSchedules () do
                let lambdas = domainGrid s |> List.filter (fun t -> s.Sigma t > 0.0) |> List.map s.Lambda
                lambdas |> List.pairwise |> List.iter (fun (a, b) -> Expect.isLessThan b a (sprintf "%s: lambda not decreasing" s.Name))

        testProp "[C0.4] lambda^-1(lambda(t)) = t" <| fun (ValidSchedule s) (f: InteriorFraction) ->
            let t = interiorTime s f.Value
            Expect.isLessThan (abs (s.LambdaInverse(s.Lambda t) - t)) (1e-9 * (s.TMax - s.TMin)) s.Name

        testCase "[C0.4] lambda^-1 round trip near both ends of the domain" <| fun () ->
            for s in allSchedules () do
                let span = s.TMax - s.TMin
                for t in [ s.TMin + 1e-6 * span; s.TMin + 1e-3 * span; s.TMax - 1e-3 * span; s.TMax - 1e-6 * span ] do
                    let back = s.LambdaInverse(s.Lambda t)
                    Expect.isLessThan (abs (back - t)) (1e-7 * span) (sprintf "%s at t=%g: got %g" s.Name t back)
    ]
