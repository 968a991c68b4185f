using System.Text.Json;
using Verified.Numerics;
using Verified.Reports.External;
using Verified.Theory;

namespace Verified.Reports.Tests.External;

/// <summary>The C# client (clients/dotnet/VerifiedClient.cs) in an out-of-process .NET sampler
/// (examples/dotnet-external): its DPM-Solver-2, written against the protocol alone, agrees with the built-in one.</summary>
public sealed class DotnetClientTests
{
    private static string ExampleDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Verified.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        string dll = Path.Combine(dir!.FullName, "examples", "dotnet-external", "bin", "Release", "net10.0", "DotnetExternalSampler.dll");
        Assert.True(File.Exists(dll), $"{dll} is built with the solution");
        return dll;
    }

    [Fact]
    public void The_out_of_process_dpm_solver_2_matches_the_built_in_one_to_round_off_with_the_same_evaluation_times()
    {
        using var process = ExternalProcess.Start($"dotnet {ExampleDll()}", new ExternalOptions(TimeSpan.FromSeconds(60), Path.Combine(Path.GetTempPath(), "verified-external")));
        var external = Assert.Single(process.Samplers());
        Assert.Equal("cs-dpm-solver-2", external.Info.Name);
        Assert.Equal(2, external.Info.StrongOrder);
        var schedule = Schedules.VpCosine();
        var mixture = GaussianMixture.Ring(8, 2.0, 0.3);
        var grid = TimeGrids.UniformLambda(schedule, 6, 0.99, 1e-3);
        foreach (var start in new[] { new[] { 0.3, -0.7 }, new[] { -1.5, 2.0 } })
        {
            var outside = new RecordingTimes(new OracleModel(mixture, schedule));
            var inside = new RecordingTimes(new OracleModel(mixture, schedule));
            var a = external.Sample(outside, start, grid, ZeroNoise.Instance);
            var b = SamplerRegistry.ByName("dpm-solver-2").Sample(inside, start, grid, ZeroNoise.Instance);
            Assert.Equal(b.Evaluations, a.Evaluations);
            Assert.Equal(inside.Times, outside.Times); // same intermediate times, bit for bit
            for (int j = 0; j < start.Length; j++)
                Assert.True(Math.Abs(a.State[j] - b.State[j]) <= 1e-12 * (1 + Math.Abs(b.State[j])), $"x[{j}]: {a.State[j]:R} vs {b.State[j]:R}");
        }
    }

    private sealed class RecordingTimes(IDiffusionModel inner) : IDiffusionModel
    {
        public List<double> Times { get; } = [];
        public int Dimension => inner.Dimension;
        public PredictionKind Kind => inner.Kind;
        public Schedule Schedule => inner.Schedule;
        public void Predict(ReadOnlySpan<double> x, double t, Span<double> output) { Times.Add(t); inner.Predict(x, t, output); }
    }
}
