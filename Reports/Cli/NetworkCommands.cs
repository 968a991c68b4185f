using System.CommandLine;
using Spectre.Console;
using Verified.Gpu;
using Verified.Reports.Network;
using Verified.Reports.Output;
using Verified.Reports.Storage;
using Verified.Theory;

namespace Verified.Reports.Cli;

/// <summary>
/// The <c>train</c> and <c>check-network</c> verbs: train a small denoiser on ring-mixture data (DSM, flow matching,
/// or CFG with condition dropout; THEORY C4.4, C8.3, C6.3) and hold a saved network to the exact oracle (per-t error
/// curve, written as CSV and PNG).
/// </summary>
public static class NetworkCommands
{
    /// <summary><c>train</c>: trains a network and saves a checkpoint, showing progress; prints the error vs the oracle.</summary>
    public static Command Train()
    {
        var data = new RingDataOptions();
        var output = new Option<FileInfo>("--out") { Description = "checkpoint file to write (refuses an existing file unless --force)", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite --out if it exists." };
        var target = new Option<NetworkTarget>("--target") { Description = "Noise (DSM), Data, VPrediction, or Velocity (flow matching)", DefaultValueFactory = _ => NetworkTarget.Noise };
        var schedule = new Option<string?>("--schedule") { Description = "schedule: a report name (vp-linear, vp-cosine, edm, linear-interpolant, follmer; see the list verb) or its full name (default: vp-linear; linear-interpolant for Velocity)" };
        var hidden = new Option<int>("--hidden") { Description = "hidden width", DefaultValueFactory = _ => 96 };
        var layers = new Option<int>("--layers") { Description = "hidden layers", DefaultValueFactory = _ => 3 };
        var steps = new Option<int>("--steps") { Description = "optimiser steps", DefaultValueFactory = _ => 3000 };
        var batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => 512 };
        var rate = new Option<double>("--lr") { Description = "Adam learning rate (cosine-annealed)", DefaultValueFactory = _ => 2e-3 };
        var dropout = new Option<double>("--dropout") { Description = "CFG condition dropout p_u", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<ulong>("--seed") { Description = "seed (same seed: bit-identical weights)", DefaultValueFactory = _ => 1UL };
        var command = new Command("train", "Train a small denoiser MLP on Gaussian-ring data and save a checkpoint");
        data.AddTo(command);
        foreach (var o in new Option[] { output, force, target, schedule, hidden, layers, steps, batch, rate, dropout, seed }) command.Options.Add(o);
        command.SetAction(r => VerbRunner.Run(() =>
        {
            var path = r.GetValue(output)!.FullName;
            if (File.Exists(path) && !r.GetValue(force))
                throw new UserErrorException($"--out {path} exists; pass --force to overwrite it (nothing was trained)");
            if (Directory.Exists(path)) throw new UserErrorException($"--out {path} is a directory; pass a checkpoint file name");
            var mixture = data.Build(r);
            var kind = r.GetValue(target);
            if (kind == NetworkTarget.Score) throw new UserErrorException("--target Score is not trained here; train Noise (the score is -eps/sigma)");
            var (config, options) = Inputs(() =>
            {
                var scheduleName = (r.GetValue(schedule) is string given ? ListCommand.TheoryScheduleName(given) : null)
                    ?? (kind == NetworkTarget.Velocity ? Schedules.LinearInterpolant().Name : Schedules.VpLinear().Name);
                var c = new NetworkConfig(mixture.Dimension, kind, scheduleName, r.GetValue(hidden), r.GetValue(layers),
                    Classes: mixture.ClassCount > 1 ? mixture.ClassCount : 0, TrainedOn: TrainingData.Describe(mixture));
                c.Validate();
                var o = new TrainingOptions(r.GetValue(steps), r.GetValue(batch), r.GetValue(rate), ConditionDropout: r.GetValue(dropout), Seed: r.GetValue(seed));
                o.Validate();
                return (c, o);
            });
            using var network = new DenoiserNetwork(config, options.Seed);
            TrainingReport? report = null;
            AnsiConsole.Progress().Start(context =>
            {
                var task = context.AddTask($"training {kind} network", maxValue: options.Steps);
                report = Trainer.Train(network, mixture, options, (step, loss) =>
                {
                    task.Value = step + 1;
                    if (step % 50 == 0) task.Description = $"training {kind} network, loss {loss:F4}";
                });
            });
            AtomicFile.WriteBytes(path, Checkpoint.ToBytes(network));
            AnsiConsole.MarkupLine($"trained in [bold]{report!.Elapsed.TotalSeconds:F1} s[/], final loss {report.FinalLoss:F4}; saved {Markup.Escape(path)}");
            PrintErrors(NetworkStudy.ErrorCurve(new ModelUnderTest(Path.GetFileName(path), path, new NetworkTensorModel(network), mixture, kind), 2000));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary><c>check-network</c>: loads a checkpoint (or a user's networks from a .dll), compares each with the exact
    /// oracle of its data law per t, writes the error-curve CSV and PNG, and exits 1 when one misses the threshold.</summary>
    public static Command CheckNetwork()
    {
        var data = new RingDataOptions();
        var checkpoint = new Option<FileInfo>("--checkpoint", "--model") { Description = "checkpoint written by train, or a .dll exposing NetworkUnderTest / INetworkProvider types (docs/GPU.md)", Required = true };
        var samples = new Option<int>("--samples") { Description = "draws x_t ~ p_t per time (>= 2)", DefaultValueFactory = _ => 4000 };
        var maxError = new Option<double>("--max-relative-error")
        {
            Description = "fail (exit 1) when the time-averaged relative error E|f - f*|^2 / E|f*|^2 exceeds this (> 0)",
            DefaultValueFactory = _ => NetworkThresholds.DefaultMaxRelativeError,
        };
        var folder = new Option<DirectoryInfo>("--out-dir") { Description = "where to write network-error.csv and .png (default artifacts/network: outside artifacts/report, which the report verb owns)", DefaultValueFactory = _ => new DirectoryInfo("artifacts/network") };
        var command = new Command("check-network", "Compare a trained network with the exact Gaussian-mixture predictor (per-t error curve, CSV and PNG); exit 1 when it misses --max-relative-error");
        data.AddTo(command);
        foreach (var o in new Option[] { checkpoint, samples, maxError, folder }) command.Options.Add(o);
        command.SetAction(r => VerbRunner.Run(() =>
        {
            double threshold = r.GetValue(maxError);
            if (!(threshold > 0) || double.IsInfinity(threshold))
                throw new UserErrorException($"--max-relative-error must be a finite number > 0, got {threshold}");
            int draws = r.GetValue(samples);
            if (draws < 2) throw new UserErrorException($"--samples must be >= 2, got {draws}");
            var path = r.GetValue(checkpoint)!.FullName;
            var outDir = r.GetValue(folder)!.FullName;
            // Before the study: a folder Verified did not write is refused with nothing measured and nothing touched.
            AtomicDirectory.Preflight(outDir, "--out-dir");
            using var loaded = ModelOptions.LoadOne(path, () => data.Build(r));
            var curves = loaded.Models.Select(m => (m, Curve: PrintErrors(NetworkStudy.ErrorCurve(m, draws)))).ToList();
            (string Csv, string Png) written = ("", "");
            AtomicDirectory.Write(outDir, staging => written = ErrorCurvePlot.Write(staging, "network-error",
                curves.Select(c => ($"{c.m.Name} ({c.m.Target})", (IReadOnlyList<NetworkErrorPoint>)c.Curve)).ToList()), "--out-dir");
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(Path.Combine(outDir, written.Csv))} and {Markup.Escape(Path.Combine(outDir, written.Png))}");
            bool all = true;
            foreach (var (m, curve) in curves)
            {
                double averaged = curve.Average(p => p.RelativeError);
                bool pass = averaged <= threshold;
                all &= pass;
                AnsiConsole.MarkupLine($"{Markup.Escape(m.Name)}: time-averaged relative error {averaged:E3} vs threshold {threshold:E3}: [bold]{(pass ? "PASS" : "FAIL")}[/]");
            }
            return all ? ExitCodes.Ok : ExitCodes.Regression;
        }));
        return command;
    }

    private static NetworkErrorPoint[] PrintErrors(NetworkErrorPoint[] curve)
    {
        var table = new Spectre.Console.Table().AddColumns("t", "E|f - f*|^2 / d", "std. error", "relative");
        foreach (var p in curve) table.AddRow($"{p.Time:F3}", $"{p.MeanSquaredError:E3}", $"{p.StandardError:E1}", $"{p.RelativeError:E2}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"time-averaged error: [bold]{curve.Average(p => p.MeanSquaredError):E3}[/]");
        return curve;
    }

    /// <summary>Builds a verb's inputs from its options: the library's range checks (ArgumentException naming the field)
    /// become a user error (exit 2). Only this construction is guarded, so an ArgumentException from a bug in the
    /// verb's work still reaches exit 3.</summary>
    private static T Inputs<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            throw new UserErrorException(e.Message.Split(" (Parameter")[0]);
        }
    }
}
