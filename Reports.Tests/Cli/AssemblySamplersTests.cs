using Verified.Reports.Cli;
using Verified.Reports.Subjects;
using Verified.Reports.Tests.Subjects;

namespace Verified.Reports.Tests.Cli;

/// <summary>The plug-in path: discovery in an assembly loaded in its own context, and its errors (exit 2).</summary>
public class AssemblySamplersTests
{
    private static string ThisAssembly => typeof(UserEuler).Assembly.Location;

    [Fact]
    public void Public_parameterless_samplers_of_an_assembly_are_found_and_work()
    {
        var subjects = AssemblySamplers.Load(ThisAssembly);
        var euler = Assert.Single(subjects, s => s.Name == "user-euler");
        Assert.Contains("assembly " + ThisAssembly, euler.Origin);
        Assert.Contains("UserEuler", euler.Origin);
        // Loaded in another context, yet a Verified Sampler (shared types), and a fresh instance per call.
        var a = euler.Instance();
        Assert.NotSame(a, euler.Instance());
        Assert.NotEqual(typeof(UserEuler), a.GetType());
        Assert.DoesNotContain(subjects, s => s.Name == "overclaiming-euler"); // private nested: not exported
    }

    [Fact]
    public void The_same_name_from_two_assemblies_is_a_clash_naming_both()
    {
        var once = SamplerCatalog.Of(AssemblySamplers.Load(ThisAssembly));
        var e = Assert.Throws<SamplerNameClashException>(() => once.With(AssemblySamplers.Load(ThisAssembly)));
        Assert.Contains("'user-euler'", e.Message);
        Assert.Contains(ThisAssembly, e.Message);
    }

    [Fact]
    public void An_assembly_without_samplers_is_a_user_error()
    {
        var e = Assert.Throws<UserErrorException>(() => AssemblySamplers.Load(typeof(Verify).Assembly.Location));
        Assert.Contains("no samplers found", e.Message);
    }

    [Fact]
    public void Missing_or_unloadable_assemblies_and_a_lone_only_assembly_exit_2()
    {
        using var dir = new Fixtures.TempDir();
        var missing = Path.Combine(dir.Path, "missing.dll");
        var text = Path.Combine(dir.Path, "text.dll");
        File.WriteAllText(text, "not an assembly");
        foreach (var args in new[] { new[] { "gate", "--assembly", missing }, ["gate", "--assembly", text], ["report", "--quick", "--only-assembly"] })
        {
            var error = new StringWriter();
            Assert.Equal(ExitCodes.UsageOrInput, VerbRunnerOf(args, error));
            Assert.StartsWith("error: ", error.ToString());
        }
    }

    [Fact]
    public void Assembly_samplers_are_selectable_by_name_beside_the_built_ins()
    {
        // --samplers filters across both; Validate accepts the loaded name only when the assembly is given.
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["report", "--quick", "--samplers", "user-euler", "--no-gate"]));
        using var dir = new Fixtures.TempDir();
        var outDir = Path.Combine(dir.Path, "report");
        Assert.Equal(ExitCodes.Ok, CommandTree.Run(["report", "--quick", "--problems", "gauss-1d", "--no-gate", "--out", outDir,
            "--assembly", ThisAssembly, "--samplers", "user-euler,heun"]));
        var json = File.ReadAllText(Path.Combine(outDir, "report.json"));
        Assert.Contains("\"user-euler\"", json);
        Assert.Contains("\"heun\"", json);
        Assert.DoesNotContain("\"pf-ode-euler\"", json);
    }

    private static int VerbRunnerOf(string[] args, StringWriter error)
    {
        var saved = Console.Error;
        Console.SetError(error);
        try { return CommandTree.Run(args, error); }
        finally { Console.SetError(saved); }
    }
}
