using System.Text.Json;
using Verified.Numerics;
using Verified.Theory;

namespace Verified.Reports.External;

/// <summary>
/// A sampler whose whole run happens in another process (docs/PROTOCOL.md): Verified sends a <c>sample</c> request
/// (schedule values at the grid, the grid, the start batch), then serves the process's model requests through the run's
/// <see cref="ModelView"/> (so NFE is counted as for any sampler) and its noise requests through the run's noise source
/// (one <see cref="INoiseSource.Fill"/> call per request, so Brownian paths, replay and exact-law probing work
/// unchanged), until the process returns the final batch. Thread-safe: each run takes its own child from the pool.
/// The step callback is called once, after the last step (the process does not report its steps).
/// </summary>
public sealed class ExternalSampler : Sampler
{
    private readonly ExternalProcess process;

    internal ExternalSampler(ExternalProcess process, SamplerInfo info)
    {
        this.process = process;
        Info = info;
    }

    /// <inheritdoc/>
    public override SamplerInfo Info { get; }

    /// <summary>Never called: <see cref="Integrate"/> hands the whole run to the process.</summary>
    protected override void Step(SamplingRun run, int i, double[] x) =>
        throw new NotSupportedException($"{Info.Name} runs in an external process and has no in-process step");

    /// <inheritdoc/>
    /// <exception cref="ExternalSamplerException">the process crashed, stalled, answered badly or refused the run.</exception>
    protected override void Integrate(SamplingRun run, double[] x, StepCallback? callback)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(x);
        var child = process.Acquire();
        var conversation = new Conversation(this, run, x, child);
        try
        {
            conversation.Run();
        }
        catch (Exception e) when (e is ProtocolFault or ClientError or VerifiedRefusal)
        {
            if (e is not ClientError) // tell the client why its run ends (it may already be gone)
                try { child.Send(ProtocolJson.Message("error", w => w.WriteString("reason", e.Message))); } catch (ProtocolFault) { }
            process.Kill(child);
            throw new ExternalSamplerException(conversation.Context(e.Message), e);
        }
        catch
        {
            process.Kill(child);
            throw;
        }
        process.Release(child);
        callback?.Invoke(run.Grid.Steps - 1, run.Grid.End, x);
    }

    private string Describe(SamplingRun run, int n) =>
        $"external sampler '{Info.Name}' (command \"{process.Command}\"), 'sample' request on {run.Schedule.Name} with {run.Grid.Steps} steps, n = {n}, d = {run.Dimension}";

    /// <summary>The process sent an error message.</summary>
    private sealed class ClientError(string reason) : Exception(reason);

    /// <summary>Verified refuses one of the process's requests (the reason is also sent to the process).</summary>
    private sealed class VerifiedRefusal(string reason) : Exception(reason);

    /// <summary>One run's exchange: the sample request, then requests served until the result.</summary>
    private sealed class Conversation(ExternalSampler owner, SamplingRun run, double[] x, ExternalChild child)
    {
        private readonly int d = run.Dimension;
        private readonly int n = x.Length / run.Dimension;
        private int requests;
        private string current = "the reply to 'sample'";

        public string Context(string reason) =>
            $"{owner.Describe(run, n)}, {current}: {reason}; its stderr: {child.LogPath}";

        public void Run()
        {
            child.Send(SampleRequest());
            while (true)
            {
                var (type, body) = ProtocolJson.Parse(child.Receive());
                requests++;
                current = $"request #{requests} ('{type}')";
                switch (type)
                {
                    case "model": Model(body); break;
                    case "noise": Noise(body); break;
                    case "schedule": ScheduleAt(body); break;
                    case "time": TimeOf(body); break;
                    case "result":
                        ProtocolJson.Numbers(body, "x", "result", x);
                        return;
                    case "error": throw new ClientError($"the process reported an error: {ExternalProcess.ClientReason(body)}");
                    default: throw new ProtocolFault($"unknown message type '{type}' (expected model, noise, schedule, time, result or error)");
                }
            }
        }

        private byte[] SampleRequest()
        {
            var s = run.Schedule;
            var grid = run.Grid.ToArray();
            return ProtocolJson.Message("sample", w =>
            {
                w.WriteString("protocol", ProtocolJson.Version);
                w.WriteString("sampler", owner.Info.Name);
                w.WriteNumber("n", n);
                w.WriteNumber("d", d);
                w.WriteStartObject("schedule");
                w.WriteString("name", s.Name);
                w.WriteString("family", s.Family.ToString());
                w.WriteNumber("t_min", s.TMin);
                w.WriteNumber("t_max", s.TMax);
                w.WriteBoolean("t_max_included", s.TMaxIncluded);
                w.WriteBoolean("variance_preserving", s.IsVariancePreserving);
                w.WriteEndObject();
                ProtocolJson.Numbers(w, "grid", grid);
                WriteScheduleValues(w, s, grid);
                ProtocolJson.Numbers(w, "x", x);
            });
        }

        private static void WriteScheduleValues(Utf8JsonWriter w, Schedule s, double[] times)
        {
            ProtocolJson.NumbersOrNull(w, "alpha", times.Select(s.Alpha));
            ProtocolJson.NumbersOrNull(w, "sigma", times.Select(s.Sigma));
            ProtocolJson.NumbersOrNull(w, "lambda", times.Select(s.Lambda));
            ProtocolJson.NumbersOrNull(w, "f", times.Select(s.Drift));
            ProtocolJson.NumbersOrNull(w, "g2", times.Select(s.G2));
        }

        private void Model(JsonElement body)
        {
            string kind = ProtocolJson.Text(body, "kind", "model");
            double t = ProtocolJson.Number(body, "t", "model");
            current = $"request #{requests} ('model', kind {kind}, t = {t:R})";
            if (!run.Schedule.IsInDomain(t))
                throw new VerifiedRefusal($"t = {t:R} is outside the schedule's domain [{run.Schedule.TMin:R}, {run.Schedule.TMax:R}{(run.Schedule.TMaxIncluded ? "]" : ")")}");
            var input = new double[x.Length];
            ProtocolJson.Numbers(body, "x", "model", input);
            var y = new double[x.Length];
            switch (kind)
            {
                case "eps": run.View.Noise(input, t, y); break;
                case "x0": run.View.Data(input, t, y); break;
                case "score": run.View.Score(input, t, y); break;
                case "velocity": run.View.Velocity(input, t, y); break;
                default: throw new VerifiedRefusal($"kind must be eps, x0, score or velocity, got '{kind}'");
            }
            if (Array.FindIndex(y, v => !double.IsFinite(v)) is int bad and >= 0)
                throw new VerifiedRefusal($"the model's prediction is not finite (y[{bad}] = {y[bad]}); the point is too extreme for this t");
            child.Send(ProtocolJson.Message("prediction", w => ProtocolJson.Numbers(w, "y", y)));
        }

        private void Noise(JsonElement body)
        {
            double from = ProtocolJson.Number(body, "from", "noise"), to = ProtocolJson.Number(body, "to", "noise");
            current = $"request #{requests} ('noise', from {from:R} to {to:R})";
            var z = new double[x.Length];
            try { run.Noise.Fill(from, to, z); }
            catch (InvalidOperationException e) { throw new VerifiedRefusal($"the noise source refused the draw: {e.Message}"); }
            child.Send(ProtocolJson.Message("noise", w => ProtocolJson.Numbers(w, "z", z)));
        }

        private void ScheduleAt(JsonElement body)
        {
            var times = ProtocolJson.AnyNumbers(body, "t", "schedule");
            foreach (var t in times)
                if (!run.Schedule.IsInDomain(t)) throw new VerifiedRefusal($"t = {t:R} is outside the schedule's domain");
            child.Send(ProtocolJson.Message("schedule", w => WriteScheduleValues(w, run.Schedule, times)));
        }

        private void TimeOf(JsonElement body)
        {
            var lambdas = ProtocolJson.AnyNumbers(body, "lambda", "time");
            if (!run.Schedule.HasLambdaInverse) throw new VerifiedRefusal($"the schedule {run.Schedule.Name} has no closed-form inverse of lambda");
            var times = lambdas.Select(run.Schedule.LambdaInverse).ToArray();
            child.Send(ProtocolJson.Message("time", w => ProtocolJson.Numbers(w, "t", times)));
        }
    }
}
