using Spectre.Console;
using Verified.Reports.Experiments;
using Verified.Reports.Model;

namespace Verified.Reports.Cli;

/// <summary>Runs a request with a progress bar on an interactive terminal, or a few plain lines otherwise (CI logs).</summary>
internal static class ProgressDisplay
{
    public static ReportDocument Run(RunRequest request, string title)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            int lastTenth = -1;
            var gate = new object();
            Console.Error.WriteLine($"{title}: starting");
            var doc = ReportRunner.Run(request, (done, total, _) =>
            {
                lock (gate)
                {
                    int tenth = done * 10 / Math.Max(1, total);
                    if (tenth > lastTenth) { lastTenth = tenth; Console.Error.WriteLine($"{title}: {done}/{total} runs (sampler, problem, schedule; each gives one ladder per metric)"); }
                }
            });
            return doc;
        }
        ReportDocument? result = null;
        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(title));
            result = ReportRunner.Run(request, (done, total, label) =>
            {
                task.MaxValue = total;
                task.Value = done;
                task.Description = Markup.Escape($"{title}: {label}");
            });
        });
        return result!;
    }
}
