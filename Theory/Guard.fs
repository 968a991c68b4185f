/// Argument checks for the public boundary. Every message names the parameter,
/// the offending value and what would be valid (see STYLE: "validate at the public boundary").
module internal Verified.Theory.Guard

open System

let finite (name: string) (value: float) =
    if Double.IsNaN value || Double.IsInfinity value then
        invalidArg name (sprintf "%s must be finite, got %g" name value)

let positive (name: string) (value: float) =
    finite name value
    if value <= 0.0 then invalidArg name (sprintf "%s must be > 0, got %g" name value)

let nonNegative (name: string) (value: float) =
    finite name value
    if value < 0.0 then invalidArg name (sprintf "%s must be >= 0, got %g" name value)

let atLeast (name: string) (minimum: int) (value: int) =
    if value < minimum then invalidArg name (sprintf "%s must be >= %d, got %d" name minimum value)

let notNull (name: string) (value: obj) =
    if isNull value then nullArg name

/// Every entry finite; reports the first bad index.
let allFinite (name: string) (values: ReadOnlySpan<float>) =
    for i in 0 .. values.Length - 1 do
        let v = values[i]
        if Double.IsNaN v || Double.IsInfinity v then
            invalidArg name (sprintf "%s[%d] must be finite, got %g" name i v)

let length (name: string) (expected: int) (actual: int) =
    if actual <> expected then
        invalidArg name (sprintf "%s must have length %d (the dimension), got %d" name expected actual)
