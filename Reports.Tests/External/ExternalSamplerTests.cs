using System.Diagnostics;
using Verified.Numerics;
using Verified.Reports.Cli;
using Verified.Reports.External;

namespace Verified.Reports.Tests.External;

/// <summary>The external-process route (docs/PROTOCOL.md): a well-behaved child reproduces the in-process arithmetic bit
/// for bit, and each kind of faulty child gives an ExternalSamplerException naming the sampler, the request and the
/// child's stderr log, with the child reaped.</summary>
[Collection("Console")]
public sealed class ExternalSamplerTests : IDisposable
{
    private readonly FaultyChildren children = new();

    public void Dispose()
    {
        foreach (var d in disposables) d.Dispose();
        children.Dispose();
    }

    private Sampler Start(string command, double timeout = 20)
    {
        var process = ExternalProcess.Start(command, children.Options(timeout));
        disposables.Add(process);
        return Assert.Single(process.Samplers());
    }

    private readonly List<IDisposable> disposables = [];

    private ExternalSamplerException Fails(string onSample, double timeout = 20)
    {
        var sampler = Start(children.Script(onSample), timeout);
        var (model, grid) = FaultyChildren.Case();
        var e = Assert.Throws<ExternalSamplerException>(() => sampler.Sample(model, [0.3], grid, new SeededNoise(1)));
        Assert.Contains("external sampler 'faulty'", e.Message);
        var log = e.Message[(e.Message.IndexOf("its stderr: ", StringComparison.Ordinal) + "its stderr: ".Length)..];
        Assert.True(File.Exists(log), $"the log named in the error exists: {log}");
        return e;
    }

    [Fact]
    public void A_well_behaved_child_returns_what_the_same_arithmetic_gives_in_process_bit_for_bit_and_its_evaluations_are_counted()
    {
        // The child takes one eps evaluation and one noise block per step and returns x + 0.25 eps + z: the protocol must
        // carry every float64 exactly, so the in-process recomputation from the same model and noise is bit-identical.
        var sampler = Start(children.Script("""
            x = r["x"]
            for i in range(len(r["grid"]) - 1):
                eps = ask({"type": "model", "kind": "eps", "t": r["grid"][i], "x": x})["y"]
                z = ask({"type": "noise", "from": r["grid"][i], "to": r["grid"][i + 1]})["z"]
                x = [a + 0.25 * e + b for a, e, b in zip(x, eps, z)]
            send({"type": "result", "x": x})
            """));
        var (model, grid) = FaultyChildren.Case();
        var result = sampler.Sample(model, [0.3], grid, new SeededNoise(7));
        var view = new ModelView(model);
        var noise = new SeededNoise(7);
        double[] x = [0.3], eps = new double[1], z = new double[1];
        for (int i = 0; i < grid.Steps; i++)
        {
            view.Noise(x, grid[i], eps);
            noise.Fill(grid[i], grid[i + 1], z);
            x[0] = x[0] + 0.25 * eps[0] + z[0];
        }
        Assert.Equal(BitConverter.DoubleToInt64Bits(x[0]), BitConverter.DoubleToInt64Bits(result.State[0]));
        Assert.Equal(grid.Steps, result.Evaluations);
    }

    [Fact]
    public void A_child_that_crashes_is_named_with_its_exit_code_and_its_stderr_is_in_the_log()
    {
        var e = Fails("sys.stderr.write('boom from the child\\n'); sys.stderr.flush(); sys.exit(3)");
        Assert.Contains("'sample' request", e.Message);
        Assert.Contains("exit code 3", e.Message);
        var log = e.Message[(e.Message.IndexOf("its stderr: ", StringComparison.Ordinal) + 12)..];
        Assert.Contains("boom from the child", File.ReadAllText(log));
    }

    [Fact]
    public void A_child_that_prints_non_json_is_refused() =>
        Assert.Contains("not JSON", Fails("print('hello, this is not a protocol message'); sys.stdout.flush()").Message);

    [Fact]
    public void A_result_of_the_wrong_shape_is_refused() =>
        Assert.Contains("'result'.x has 2 numbers, expected 1", Fails("send({'type': 'result', 'x': [1.0, 2.0]})").Message);

    [Fact]
    public void A_model_request_of_the_wrong_shape_is_refused_and_names_the_request() =>
        Assert.Contains("request #1 ('model', kind eps, t = 1)", Fails("ask({'type': 'model', 'kind': 'eps', 't': 1.0, 'x': [1.0, 2.0, 3.0]})").Message);

    [Fact]
    public void A_non_finite_result_is_refused() =>
        // Python's json writes NaN as a bare token, which is not JSON.
        Assert.Contains("non-finite values are refused", Fails("send({'type': 'result', 'x': [float('nan')]})").Message);

    [Fact]
    public void A_model_time_outside_the_schedule_domain_is_refused() =>
        Assert.Contains("outside the schedule's domain", Fails("ask({'type': 'model', 'kind': 'eps', 't': 1.5, 'x': [0.0]}); sys.stdin.readline()").Message);

    [Fact]
    public void A_child_that_reports_an_error_has_its_reason_in_the_message() =>
        Assert.Contains("my sampler cannot do this", Fails("send({'type': 'error', 'reason': 'my sampler cannot do this'})").Message);

    [Fact]
    public void A_stalled_child_times_out_and_is_killed()
    {
        string pidFile = Path.Combine(children.Folder, "stalled.pid");
        var e = Fails($"open({Quote(pidFile + ".tmp")}, 'w').write(str(os.getpid())); os.rename({Quote(pidFile + ".tmp")}, {Quote(pidFile)}); time.sleep(600)", timeout: 3);
        Assert.Contains("no answer within 3 s", e.Message);
        // On a loaded machine the child may be killed before it wrote its pid: then there is nothing left to check.
        var sw = Stopwatch.StartNew();
        while (!File.Exists(pidFile) && sw.Elapsed < TimeSpan.FromSeconds(2)) Thread.Sleep(50);
        if (!File.Exists(pidFile)) return;
        int pid = int.Parse(File.ReadAllText(pidFile));
        Assert.False(IsAlive(pid), $"the stalled child {pid} was reaped");
    }

    [Fact]
    public void A_child_that_exits_before_describing_is_named_with_the_describe_request()
    {
        var e = Assert.Throws<ExternalSamplerException>(() => ExternalProcess.Start(children.Script("pass", onDescribe: "sys.exit(0)"), children.Options()));
        Assert.Contains("request 'describe'", e.Message);
        Assert.Contains("exited before answering (exit code 0)", e.Message);
    }

    [Fact]
    public void A_child_that_exits_early_in_a_run_is_named_with_the_request_it_left_unanswered() =>
        Assert.Contains("exited before answering", Fails("ask({'type': 'noise', 'from': 1.0, 'to': 0.5}); sys.exit(0)").Message);

    [Fact]
    public void Report_with_a_faulty_child_exits_2_and_writes_no_report()
    {
        string outDir = Path.Combine(children.Folder, "report");
        var error = new StringWriter();
        var previous = Console.Error;
        int code;
        try
        {
            Console.SetError(error);
            code = CommandTree.Run(["report", "--quick", "--no-gate", "--problems", "gauss-1d", "--samplers", "faulty",
                "--external", children.Script("sys.exit(4)"), "--out", outDir]);
        }
        finally { Console.SetError(previous); }
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.False(Directory.Exists(outDir), "no half-written report");
        Assert.Contains("external sampler 'faulty'", error.ToString());
        Assert.Contains("exit code 4", error.ToString());
    }

    [Fact]
    public void Baseline_with_a_faulty_child_exits_2_and_writes_no_baseline()
    {
        string path = Path.Combine(children.Folder, "baseline.json");
        var previous = Console.Error;
        int code;
        try
        {
            Console.SetError(new StringWriter());
            code = CommandTree.Run(["baseline", "--samplers", "faulty", "--baseline", path,
                "--external", children.Script("print('not json'); sys.stdout.flush()")]);
        }
        finally { Console.SetError(previous); }
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.False(File.Exists(path), "no half-written baseline");
        Assert.Empty(Directory.GetFiles(children.Folder, "baseline.json*"));
    }

    private static string Quote(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>Whether the process still runs, waiting up to 5 s: a killed grandchild (python under /bin/sh) dies
    /// asynchronously and may linger as a zombie until its new parent reaps it; a zombie does not run.</summary>
    private static bool IsAlive(int pid)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(5))
        {
            string stat = $"/proc/{pid}/stat";
            string? text = null;
            try { text = File.ReadAllText(stat); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (text is null) return false;
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            if (state is "Z" or "X") return false;
            Thread.Sleep(50);
        }
        return true;
    }
}
