using Verified.Numerics;
using Verified.Reports.External;
using Verified.Theory;

namespace Verified.Reports.Tests.External;

/// <summary>Tiny python3 sampler processes, each with one fault (or none), written to a temporary folder.</summary>
internal sealed class FaultyChildren : IDisposable
{
    private const string Prelude = """
        import json, os, sys, time
        def send(m):
            sys.stdout.write(json.dumps(m) + "\n"); sys.stdout.flush()
        def ask(m):
            send(m); return json.loads(sys.stdin.readline())
        DECLARED = {"type": "samplers", "protocol": "verified-protocol 1", "samplers": [
            {"name": "faulty", "stochastic": True, "strong_order": 1, "weak_order": 1, "evaluations_per_step": 1}]}
        for line in sys.stdin:
            r = json.loads(line)
            if r["type"] == "describe":
        {0}
            elif r["type"] == "sample":
        {1}
        """;

    private readonly Fixtures.TempDir dir = new();

    /// <summary>The folder for scripts, pid files and logs.</summary>
    public string Folder => dir.Path;

    /// <summary>A script whose describe and sample answers are the given python lines (indented by the caller's 8 spaces).</summary>
    public string Script(string onSample, string onDescribe = "send(DECLARED)")
    {
        string path = Path.Combine(dir.Path, $"child-{Guid.NewGuid():N}.py");
        File.WriteAllText(path, Prelude.Replace("{0}", Indent(onDescribe)).Replace("{1}", Indent(onSample)));
        return $"python3 {path}";
    }

    private static string Indent(string code) => string.Join("\n", code.Split('\n').Select(l => "        " + l));

    /// <summary>Options with a short stall limit and logs in the test folder.</summary>
    public ExternalOptions Options(double timeoutSeconds = 20) => new(TimeSpan.FromSeconds(timeoutSeconds), Path.Combine(dir.Path, "logs"));

    /// <summary>A 1-D Gaussian oracle on VP-linear with a 4-step grid.</summary>
    public static (OracleModel Model, TimeGrid Grid) Case()
    {
        var schedule = Schedules.VpLinear();
        var model = new OracleModel(GaussianMixture.Gaussian([0.5], new[,] { { 0.36 } }), schedule);
        return (model, TimeGrids.UniformLambda(schedule, 4, 1.0, 1e-3));
    }

    public void Dispose() => dir.Dispose();
}
