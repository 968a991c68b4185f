/// With `--colours 0`, or when the output is not a terminal, Expecto still writes ANSI escapes (a reset before
/// every log line). This writer drops them, so logs and pipes get plain text.
module Verified.Verification.PlainOutput

open System.IO
open System.Text

/// Passes text through, minus ESC [ ... final-letter sequences (split across writes or not).
type AnsiStrippingWriter(inner: TextWriter) =
    inherit TextWriter()
    // 0: plain text, 1: after ESC, 2: inside ESC [ ... until a letter.
    let mutable state = 0
    override _.Encoding = inner.Encoding
    override _.Write(c: char) =
        match state with
        | 0 when c = '\u001b' -> state <- 1
        | 0 -> inner.Write c
        | 1 when c = '[' -> state <- 2
        | 1 -> state <- 0; inner.Write c
        | _ -> if System.Char.IsLetter c then state <- 0
    override this.Write(s: string) = if not (isNull s) then for c in s do this.Write c
    override _.Flush() = inner.Flush()

/// Whether plain output is wanted: `--colours 0`, or stdout redirected.
let wanted (argv: string[]) =
    let i = Array.tryFindIndex ((=) "--colours") argv
    (match i with Some k when k + 1 < argv.Length -> argv[k + 1] = "0" | _ -> false) || System.Console.IsOutputRedirected

/// Routes stdout and stderr through the stripping writer.
let install () =
    System.Console.SetOut(new AnsiStrippingWriter(System.Console.Out))
    System.Console.SetError(new AnsiStrippingWriter(System.Console.Error))
