// Client for Verified's sampler protocol ("verified-protocol 1", docs/PROTOCOL.md) in one file: include it in a
// console project (no package needed beyond the .NET base library), implement IClientSampler, call VerifiedClient.Serve.
// A batch is a flat double[] of n * d values, row-major (point i occupies [i*d, (i+1)*d)).
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Verified.Client;

/// <summary>What a sampler declares (Verified's SamplerInfo).</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Equation">The formula, in words.</param>
/// <param name="Stochastic">Whether it draws noise.</param>
/// <param name="StrongOrder">Declared strong order, or null.</param>
/// <param name="WeakOrder">Declared weak order, or null.</param>
/// <param name="EvaluationsPerStep">Model evaluations per step.</param>
/// <param name="Requires">"any", "variance-preserving" or "follmer".</param>
/// <param name="Affine">Whether it is a fixed affine map of start and noise on an affine model.</param>
public sealed record ClientSamplerInfo(string Name, string Equation, bool Stochastic, double? StrongOrder, double? WeakOrder,
    double EvaluationsPerStep, string Requires = "any", bool Affine = true);

/// <summary>A sampler served to Verified.</summary>
public interface IClientSampler
{
    /// <summary>Its declaration.</summary>
    ClientSamplerInfo Info { get; }

    /// <summary>Runs from run.X at run.Grid[0] to run.Grid[^1]; returns the final batch (n * d values).</summary>
    double[] Sample(ClientRun run);
}

/// <summary>Verified refused a request; the run is over (Verified ends the process).</summary>
public sealed class VerifiedRefusedException(string reason) : Exception(reason);

/// <summary>One sample request: the grid, the schedule values at it, the start batch, and the model and noise served by Verified.</summary>
public sealed class ClientRun
{
    private readonly Connection connection;

    internal ClientRun(Connection connection, JsonElement request)
    {
        this.connection = connection;
        N = request.GetProperty("n").GetInt32();
        D = request.GetProperty("d").GetInt32();
        ScheduleName = request.GetProperty("schedule").GetProperty("name").GetString()!;
        Grid = Numbers(request, "grid");
        Alpha = Numbers(request, "alpha");
        Sigma = Numbers(request, "sigma");
        Lambda = Numbers(request, "lambda");
        F = Numbers(request, "f");
        G2 = Numbers(request, "g2");
        X = Numbers(request, "x");
    }

    /// <summary>Points in the batch.</summary>
    public int N { get; }
    /// <summary>Dimension of each point.</summary>
    public int D { get; }
    /// <summary>The schedule's name with its parameters, e.g. vp-linear(0.1,20).</summary>
    public string ScheduleName { get; }
    /// <summary>The decreasing forward times t_0 &gt; ... &gt; t_K.</summary>
    public double[] Grid { get; }
    /// <summary>alpha(t_i).</summary>
    public double[] Alpha { get; }
    /// <summary>sigma(t_i).</summary>
    public double[] Sigma { get; }
    /// <summary>lambda(t_i) = log(alpha/sigma) (NaN where the protocol sent null).</summary>
    public double[] Lambda { get; }
    /// <summary>f(t_i) = alpha'/alpha.</summary>
    public double[] F { get; }
    /// <summary>g2(t_i).</summary>
    public double[] G2 { get; }
    /// <summary>The start batch at Grid[0].</summary>
    public double[] X { get; }

    /// <summary>One model evaluation (counted by Verified); kind is eps, x0, score or velocity.</summary>
    public double[] Model(double[] x, double t, string kind)
    {
        var reply = connection.Ask("model", w => { w.WriteString("kind", kind); w.WriteNumber("t", t); Write(w, "x", x); }, "prediction");
        return Numbers(reply, "y");
    }

    /// <summary>eps(x, t) (DPM-Solver's noise_pred).</summary>
    public double[] NoisePrediction(double[] x, double t) => Model(x, t, "eps");

    /// <summary>A standard normal [n, d] block for the step from -&gt; to (from == to: an auxiliary draw).</summary>
    public double[] Noise(double from, double to) =>
        Numbers(connection.Ask("noise", w => { w.WriteNumber("from", from); w.WriteNumber("to", to); }, "noise"), "z");

    /// <summary>The forward time where lambda(t) = lambda.</summary>
    public double TimeOfLambda(double lambda) =>
        Numbers(connection.Ask("time", w => { w.WriteStartArray("lambda"); w.WriteNumberValue(lambda); w.WriteEndArray(); }, "time"), "t")[0];

    /// <summary>The schedule's values at any time in its domain (not a model evaluation).</summary>
    public (double Alpha, double Sigma, double Lambda, double F, double G2) ScheduleAt(double t)
    {
        var r = connection.Ask("schedule", w => { w.WriteStartArray("t"); w.WriteNumberValue(t); w.WriteEndArray(); }, "schedule");
        return (Numbers(r, "alpha")[0], Numbers(r, "sigma")[0], Numbers(r, "lambda")[0], Numbers(r, "f")[0], Numbers(r, "g2")[0]);
    }

    internal static double[] Numbers(JsonElement o, string name) =>
        o.GetProperty(name).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble()).ToArray();

    internal static void Write(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) throw new InvalidOperationException($"non-finite value {v} in '{name}'");
            w.WriteNumberValue(v); // shortest round-trip form: float64 values cross exactly
        }
        w.WriteEndArray();
    }
}

internal sealed class Connection(TextReader input, Stream output)
{
    public void Send(string type, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            body(w);
            w.WriteEndObject();
        }
        output.Write(buffer.WrittenSpan);
        output.WriteByte((byte)'\n');
        output.Flush();
    }

    public JsonElement? Receive()
    {
        var line = input.ReadLine();
        return line is null ? null : JsonDocument.Parse(line).RootElement;
    }

    public JsonElement Ask(string type, Action<Utf8JsonWriter> body, string answer)
    {
        Send(type, body);
        var reply = Receive() ?? throw new VerifiedRefusedException("Verified closed the connection");
        string got = reply.GetProperty("type").GetString()!;
        if (got == "error") throw new VerifiedRefusedException(reply.GetProperty("reason").GetString()!);
        if (got != answer) throw new VerifiedRefusedException($"expected '{answer}', got '{got}'");
        return reply;
    }
}

/// <summary>The serve loop.</summary>
public static class VerifiedClient
{
    /// <summary>The protocol version.</summary>
    public const string Protocol = "verified-protocol 1";

    /// <summary>Answers Verified on stdin/stdout until it closes stdin. Console.Out is redirected to stderr while serving,
    /// so a sampler's own prints cannot corrupt the protocol. Returns the process exit code.</summary>
    public static int Serve(IReadOnlyList<IClientSampler> samplers)
    {
        var stdout = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        var connection = new Connection(new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false)), stdout);
        while (connection.Receive() is { } request)
        {
            string type = request.GetProperty("type").GetString()!;
            if (type == "describe")
            {
                connection.Send("samplers", w =>
                {
                    w.WriteString("protocol", Protocol);
                    w.WriteStartArray("samplers");
                    foreach (var s in samplers) Declare(w, s.Info);
                    w.WriteEndArray();
                });
                continue;
            }
            if (type != "sample") { connection.Send("error", w => w.WriteString("reason", $"unknown request type '{type}'")); continue; }
            string name = request.GetProperty("sampler").GetString()!;
            var sampler = samplers.FirstOrDefault(s => s.Info.Name == name);
            if (sampler is null) { connection.Send("error", w => w.WriteString("reason", $"no sampler named '{name}'")); continue; }
            double[] x;
            try { x = sampler.Sample(new ClientRun(connection, request)); }
            catch (VerifiedRefusedException e) { Console.Error.WriteLine($"Verified refused a request: {e.Message}"); return 1; }
            catch (Exception e) { connection.Send("error", w => w.WriteString("reason", $"{e.GetType().Name}: {e.Message}")); continue; }
            connection.Send("result", w => ClientRun.Write(w, "x", x));
        }
        return 0;
    }

    private static void Declare(Utf8JsonWriter w, ClientSamplerInfo i)
    {
        w.WriteStartObject();
        w.WriteString("name", i.Name);
        w.WriteString("equation", i.Equation);
        w.WriteBoolean("stochastic", i.Stochastic);
        if (i.StrongOrder is double s) w.WriteNumber("strong_order", s); else w.WriteNull("strong_order");
        if (i.WeakOrder is double o) w.WriteNumber("weak_order", o); else w.WriteNull("weak_order");
        w.WriteNumber("evaluations_per_step", i.EvaluationsPerStep);
        w.WriteString("requires", i.Requires);
        w.WriteBoolean("affine", i.Affine);
        w.WriteEndObject();
    }
}
