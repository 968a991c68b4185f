using Verified.Numerics;
using Verified.Reports.Cli;
using Verified.Reports.Experiments;
using Verified.Reports;

namespace Verified.Reports.Tests.Cli;

public class NameListTests
{
    [Fact]
    public void Commas_inside_parentheses_belong_to_the_name()
    {
        Assert.Equal(["rk45(rtol=1E-05,atol=1E-05)", "heun", "pc(snr=0.16,m=1)", "ddim"],
            Verified.Reports.Subjects.SamplerNames.Parse(["rk45(rtol=1E-05,atol=1E-05),heun", "pc(snr=0.16,m=1)", " ddim ,"]));
    }

    [Fact]
    public void Every_registered_sampler_name_can_be_selected_alone_and_in_a_comma_list()
    {
        var names = SamplerRegistry.All().Select(s => s.Info.Name).ToList();
        Assert.Contains(names, n => n.Contains(',', StringComparison.Ordinal)); // the case this guards
        foreach (var n in names)
        {
            var request = new RunRequest(Preset.Quick, ReportCommand.Split([n]));
            Assert.Null(ReportRunner.Validate(request));
            Assert.Equal([n], request.Samplers);
        }
        Assert.Equal(names, ReportCommand.Split([string.Join(",", names)]));
    }
}

public class ListCommandTests
{
    [Fact]
    public void List_names_every_registered_sampler_problem_schedule_and_preset()
    {
        var output = new StringWriter();
        ListCommand.Write(null, output);
        var text = output.ToString();
        foreach (var name in SamplerRegistry.All().Select(s => s.Info.Name)) Assert.Contains($"  {name} | ", text);
        foreach (var name in Problems.Names) Assert.Contains($"  {name} | ", text);
        foreach (var c in ScheduleCases.All) Assert.Contains($"  {c.Name} | {c.Schedule.Name} | ", text);
        foreach (var p in new[] { "quick", "default", "full", "gate" }) Assert.Contains($"  {p} | ", text);
        Assert.Equal(ExitCodes.UsageOrInput, CommandTree.Run(["list", "bogus"], new StringWriter()));
    }

    [Fact]
    public void Train_accepts_the_report_schedule_names()
    {
        foreach (var c in ScheduleCases.All)
            Assert.Equal(c.Schedule.Name, ListCommand.TheoryScheduleName(c.Name));
        Assert.Equal("vp-linear(0.1,20)", ListCommand.TheoryScheduleName("vp-linear(0.1,20)"));
    }
}
