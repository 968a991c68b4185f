using Verified.Reports.Experiments;
using Verified.Reports.Subjects;

namespace Verified.Reports.Network;

/// <summary>Runs the <see cref="NetworkStudy"/> of every --model of report and gate over the chosen samplers.</summary>
public static class NetworkRuns
{
    /// <summary>The subjects that drive the networks: the request's --samplers, or <see cref="NetworkStudy.DefaultSamplers"/>.</summary>
    public static IReadOnlyList<SamplerSubject> Drivers(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Samplers is { Count: > 0 }) return request.SelectedSubjects();
        return NetworkStudy.DefaultSamplers.Select(n => SamplerCatalog.BuiltIn.Find(n)
            ?? throw new InvalidOperationException($"default network sampler '{n}' is not registered")).ToList();
    }

    /// <summary>Studies every model; prints one verdict line per network (and its misses) to <paramref name="output"/>.</summary>
    public static List<NetworkStudyResult> Run(IReadOnlyList<ModelUnderTest> models, IReadOnlyList<SamplerSubject> drivers, int steps, int samples,
        NetworkThresholds thresholds, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(output);
        var results = new List<NetworkStudyResult>();
        foreach (var model in models)
        {
            var result = NetworkStudy.Run(model, drivers, steps, samples, thresholds);
            results.Add(result);
            output.WriteLine($"network {result.Verdict}: {result.Network} ({result.Target}, {result.Schedule}): time-averaged relative error " +
                $"{result.AveragedRelativeError:E3}; relative coupled distance " +
                string.Join(", ", result.Samplers.Select(r => $"{r.Sampler} {r.RelativeDistance:E3}")));
            foreach (var miss in result.Misses()) output.WriteLine($"    {miss}");
        }
        return results;
    }
}
