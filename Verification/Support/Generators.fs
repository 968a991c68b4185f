/// FsCheck generators for valid inputs: schedules, mixtures, times and points, wrapped in
/// restricted-input types (like FsCheck's NormalFloat) so a property's signature says what it gets.
module Verified.Verification.Generators

open System
open FsCheck
open FsCheck.FSharp
open Verified.Theory

/// A schedule from any closed-form family, with randomised parameters where the family has them.
type ValidSchedule = ValidSchedule of Schedule
    with member this.Value = let (ValidSchedule s) = this in s
         override this.ToString() = this.Value.Name

/// One component of a generated mixture: weight (unnormalised), mean, covariance factor A (S = A A^T).
type ComponentSpec = { Weight: float; Mean: float[]; Factor: float[,]; Kind: string }

/// A generated mixture, kept as its spec so that FsCheck can shrink it (dropping components).
type MixtureSpec =
    { Dim: int; Components: ComponentSpec list }
    member this.Build() =
        let total = this.Components |> List.sumBy (fun c -> c.Weight)
        let weights = this.Components |> List.map (fun c -> c.Weight / total) |> Array.ofList
        let sum = Array.sum weights
        let covariance (a: float[,]) =
            let d = Array2D.length1 a
            let raw = Array2D.init d d (fun i j -> Seq.sum (seq { for k in 0 .. d - 1 -> a[i, k] * a[j, k] }))
            Array2D.init d d (fun i j -> 0.5 * (raw[i, j] + raw[j, i]))
        GaussianMixture(weights |> Array.map (fun w -> w / sum),
                        this.Components |> List.map (fun c -> c.Mean) |> Array.ofList,
                        this.Components |> List.map (fun c -> covariance c.Factor) |> Array.ofList,
                        this.Components |> List.mapi (fun i _ -> i % 2) |> Array.ofList)
    override this.ToString() =
        sprintf "mixture d=%d K=%d kinds=%A" this.Dim this.Components.Length (this.Components |> List.map (fun c -> c.Kind))

/// A fraction u in [0.05, 0.95] of a schedule's domain: an interior time away from both ends.
type InteriorFraction = InteriorFraction of float
    with member this.Value = let (InteriorFraction u) = this in u

/// The seed of a test point near the noised data (see pointNear): eight standard normals, the first picking the
/// mixture component, the next d the perturbation. Only pointNear and oracleCase read it; a property's other
/// inputs have generators of their own below.
type PointSeed = PointSeed of float[]
    with member this.Value = let (PointSeed v) = this in v

/// A standard-normal vector in R^2 (a data point, a state, a noise draw: the property names and scales it).
type Normal2 = Normal2 of float[]
    with override this.ToString() = let (Normal2 v) = this in sprintf "%A" v

/// A standard-normal vector in R^3.
type Normal3 = Normal3 of float[]
    with override this.ToString() = let (Normal3 v) = this in sprintf "%A" v

/// A guidance scale w of either sign, w = 4 Z with Z standard normal (both classifier and classifier-free guidance
/// are defined for every real w; the usual range w in [0, 10] sits inside this law's bulk).
type GuidanceScale = GuidanceScale of float

/// A classifier-free guidance scale beyond the conditional one, w = 1 + 2 |Z| > 1 (where the exact CFG predictor is
/// the noise of a tilted density rather than an interpolation of the two predictors).
type StrongGuidance = StrongGuidance of float

/// The extra noise of the generalised reverse family (C3.5): gamma^2(t) = C g2(t) + K with C = |Z1| and K = |Z2| / 2,
/// time-dependent and not tied to g2.
type ExtraNoise = { C: float; K: float }

let private uniform lo hi = Gen.choose (0, 1_000_000) |> Gen.map (fun i -> lo + (hi - lo) * float i / 1e6)
// Box-Muller; u = 1 is possible on this grid, so the radius is clamped at 0 (log(1 + 1e-12) > 0 would give NaN).
let private normal = Gen.map2 (fun u v -> sqrt (max 0.0 (-2.0 * log (1e-12 + u))) * cos (2.0 * Math.PI * v)) (uniform 0.0 1.0) (uniform 0.0 1.0)

let scheduleGen : Gen<Schedule> =
    Gen.oneof [
        Gen.map2 (fun a b -> Schedules.VpLinear(a, a + b)) (uniform 0.05 0.5) (uniform 5.0 25.0)
        Gen.map (fun o -> Schedules.VpCosine o) (uniform 0.004 0.02)
        Gen.map2 (fun a b -> Schedules.SubVp(a, a + b)) (uniform 0.05 0.5) (uniform 5.0 25.0)
        Gen.map2 (fun a b -> Schedules.Ve(a, b)) (uniform 0.005 0.05) (uniform 10.0 80.0)
        Gen.map (fun m -> Schedules.Edm m) (uniform 10.0 100.0)
        Gen.constant (Schedules.LinearInterpolant())
        Gen.constant (Schedules.Follmer()) ]

let private componentGen (d: int) : Gen<ComponentSpec> =
    gen {
        let! weight = uniform 0.2 1.0
        let! mean = Gen.arrayOfLength d (Gen.map (fun z -> 2.0 * z) normal)
        let! kind = Gen.elements [ "spd"; "spd"; "near-singular"; "point-mass"; "low-rank" ]
        let! entries = Gen.arrayOfLength (d * d) normal
        let factor =
            match kind with
            | "point-mass" -> Array2D.zeroCreate d d
            | "low-rank" -> Array2D.init d d (fun i j -> if j = 0 then 0.7 * entries[i * d] else 0.0)
            | "near-singular" -> Array2D.init d d (fun i j -> if j = 0 then 0.7 * entries[i * d] elif i = j then 1e-4 else 0.0)
            | _ -> Array2D.init d d (fun i j -> 0.5 * entries[i * d + j] + (if i = j then 0.3 else 0.0))
        return { Weight = weight; Mean = mean; Factor = factor; Kind = kind }
    }

let mixtureGen (maxDim: int) (maxComponents: int) : Gen<MixtureSpec> =
    gen {
        let! d = Gen.choose (1, maxDim)
        let! k = Gen.choose (1, maxComponents)
        let! comps = Gen.listOfLength k (componentGen d)
        return { Dim = d; Components = comps }
    }

let private shrinkMixture (m: MixtureSpec) : seq<MixtureSpec> =
    seq {
        if m.Components.Length > 1 then
            for i in 0 .. m.Components.Length - 1 do
                yield { m with Components = m.Components |> List.removeAt i }
    }

/// The arbitrary instances the suite registers through FsCheckConfig.arbitrary (never Arb.Register).
type Arbitraries =
    static member Schedule() : Arbitrary<ValidSchedule> = Arb.fromGen (Gen.map ValidSchedule scheduleGen)
    static member Mixture() : Arbitrary<MixtureSpec> = Arb.fromGenShrink (mixtureGen 4 4, shrinkMixture)
    static member Fraction() : Arbitrary<InteriorFraction> = Arb.fromGen (Gen.map InteriorFraction (uniform 0.05 0.95))
    static member Point() : Arbitrary<PointSeed> = Arb.fromGen (Gen.map PointSeed (Gen.arrayOfLength 8 normal))
    static member Normal2() : Arbitrary<Normal2> = Arb.fromGen (Gen.map Normal2 (Gen.arrayOfLength 2 normal))
    static member Normal3() : Arbitrary<Normal3> = Arb.fromGen (Gen.map Normal3 (Gen.arrayOfLength 3 normal))
    static member Guidance() : Arbitrary<GuidanceScale> = Arb.fromGen (Gen.map (fun z -> GuidanceScale (4.0 * z)) normal)
    static member StrongGuidance() : Arbitrary<StrongGuidance> = Arb.fromGen (Gen.map (fun z -> StrongGuidance (1.0 + 2.0 * abs z)) normal)
    static member ExtraNoise() : Arbitrary<ExtraNoise> = Arb.fromGen (Gen.map2 (fun a b -> { C = abs a; K = 0.5 * abs b }) normal normal)

/// An interior time: the fraction u of the domain [TMin, TMax].
let interiorTime (s: Schedule) (u: float) = s.TMin + u * (s.TMax - s.TMin)

/// A point near the noised data: alpha * (a mean) + a normal perturbation at the data's scale.
let pointNear (mixture: GaussianMixture) (s: Schedule) (t: float) (seed: float[]) =
    let d = mixture.Dimension
    let mu = mixture.Mean(abs (int (seed[0] * 1000.0)) % mixture.Count)
    let scale = max 0.3 (s.Sigma t)
    Array.init d (fun i -> s.Alpha t * mu[i] + scale * seed[(i + 1) % seed.Length])

/// The common setup of an oracle property: the oracle of a generated mixture under a schedule, an interior
/// time, and a point near the noised data.
let oracleCase (spec: MixtureSpec) (s: Schedule) (f: InteriorFraction) (p: PointSeed) =
    let oracle = MixtureOracle(spec.Build(), s)
    let t = interiorTime s f.Value
    oracle, t, pointNear oracle.Mixture s t p.Value
