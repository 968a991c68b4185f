using System.Text.Json;
using Verified.Numerics;
using Verified.Reports.Cli;
using Verified.Theory;

namespace Verified.Reports.Tests.Cli;

/// <summary>The <c>sample</c> verb reproduces an in-process run bit for bit, and refuses bad case files naming the field.</summary>
[Collection("Console")]
public sealed class SampleCommandTests : IDisposable
{
    private readonly Fixtures.TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private const string Mixture = """
        "mixture": {"weights": [0.3, 0.7], "means": [[-1, 0], [1, 0.5]], "covariances": [[[0.2, 0], [0, 0.3]], [[0.25, 0.05], [0.05, 0.2]]]}
        """;

    private static readonly double[] Grid = [1.0, 0.5, 0.2, 0.05, 0.001];
    private static readonly double[][] Blocks = [[0.1, 0.2], [-0.3, 0.4], [1.0, -1.0], [0.5, 0.5]];

    private string Case(string body)
    {
        string path = Path.Combine(dir.Path, $"case-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{" + body + "}");
        return path;
    }

    private static string Full() => Mixture + """
        , "schedule": {"family": "vp-linear", "beta_min": 0.1, "beta_max": 20},
        "grid": [1.0, 0.5, 0.2, 0.05, 0.001], "start": [[0.3, -0.7]],
        "noise": {"blocks": [[[0.1, 0.2]], [[-0.3, 0.4]], [[1.0, -1.0]], [[0.5, 0.5]]]}
        """;

    private (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        try { Console.SetError(error); return (CommandTree.Run(args), error.ToString()); }
        finally { Console.SetError(previous); }
    }

    [Theory]
    [InlineData("heun")]
    [InlineData("ddim(eta=1)")]
    [InlineData("dpm-solver++(2m)")]
    public void Sample_reproduces_the_in_process_run_bit_for_bit(string name)
    {
        string output = Path.Combine(dir.Path, "out.json");
        var (code, error) = Run("sample", Case(Full()), "--sampler", name, "--out", output);
        Assert.True(code == ExitCodes.Ok, error);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        var root = doc.RootElement;
        var x = root.GetProperty("x").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        var times = root.GetProperty("evaluation_times").EnumerateArray().Select(v => v.GetDouble()).ToArray();

        var mixture = new GaussianMixture([0.3, 0.7], [[-1.0, 0.0], [1.0, 0.5]], [new[,] { { 0.2, 0.0 }, { 0.0, 0.3 } }, new[,] { { 0.25, 0.05 }, { 0.05, 0.2 } }]);
        var model = new OracleModel(mixture, Schedules.VpLinear(0.1, 20.0));
        var expected = SamplerRegistry.ByName(name).Sample(model, [0.3, -0.7], new TimeGrid(Grid), new ReplayNoise(Blocks.ToList()));
        Assert.Equal(expected.State.Select(BitConverter.DoubleToInt64Bits), x.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Evaluations, root.GetProperty("nfe").GetInt32());
        Assert.Equal(expected.Evaluations, times.Length);
        Assert.Equal(Grid[0], times[0]);
    }

    [Theory]
    [InlineData("grid", "missing field 'grid'")]
    [InlineData("start", "missing field 'start'")]
    [InlineData("schedule", "missing field 'schedule'")]
    public void A_case_file_without_a_field_exits_2_naming_it_and_writes_nothing(string field, string message)
    {
        var body = Full().Replace($"\"{field}\":", $"\"not-{field}\":");
        string output = Path.Combine(dir.Path, "out.json");
        var (code, error) = Run("sample", Case(body), "--sampler", "heun", "--out", output);
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.Contains(message, error);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("\"start\": [[0.3, -0.7]]", "\"start\": [[0.3]]", "start[0] has 1 numbers, expected d = 2")]
    [InlineData("\"family\": \"vp-linear\"", "\"family\": \"vp-lineer\"", "schedule.family 'vp-lineer' is unknown")]
    [InlineData("[1.0, 0.5, 0.2, 0.05, 0.001]", "[1.0, 0.5, 0.7, 0.05]", "grid:")]
    [InlineData("[[-0.3, 0.4]]", "[[-0.3, 0.4, 9]]", "noise.blocks[1][0] has 3 numbers")]
    [InlineData("[[1.0, -1.0]], [[0.5, 0.5]]", "[[1.0, -1.0]]", "ReplayNoise ran out")]
    public void A_case_file_with_a_bad_value_exits_2_naming_the_field(string from, string to, string message)
    {
        var body = Full().Replace(from, to);
        Assert.NotEqual(Full(), body);
        var (code, error) = Run("sample", Case(body), "--sampler", "ddim(eta=1)");
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Sample_refuses_to_overwrite_a_file_it_did_not_write()
    {
        string output = Path.Combine(dir.Path, "mine.json");
        File.WriteAllText(output, "keep me");
        var (code, error) = Run("sample", Case(Full()), "--sampler", "heun", "--out", output);
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.Contains("--force", error);
        Assert.Equal("keep me", File.ReadAllText(output));
    }
}
