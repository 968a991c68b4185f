using Verified.Numerics;
using Verified.Reports.Model;

namespace Verified.Reports.Experiments;

/// <summary>
/// DDPM variance choice (S7.7): exact KL(output law || p_{t_min}) against N on Gaussian data for every DDPM
/// variant in the registry (sigma^2 = beta and sigma^2 = beta~, the latter being the frozen-denoiser Föllmer
/// bridge step, CF.3). Reported, not asserted.
/// </summary>
internal static class DdpmStudy
{
    /// <summary>Registered samplers whose name starts with this are studied.</summary>
    public const string NamePrefix = "ddpm";

    public static List<DdpmStudyRow> Run(IEnumerable<Sampler> samplers, IEnumerable<Problem> problems, Preset preset)
    {
        var rows = new List<DdpmStudyRow>();
        var sc = ScheduleCases.Find("vp-linear")!;
        foreach (var problem in problems.Where(p => p.IsGaussian))
            foreach (var sampler in samplers.Where(s => s.Info.Name.StartsWith(NamePrefix, StringComparison.Ordinal) && sc.AppliesTo(s.Info)))
            {
                var model = new OracleModel(problem.Data, sc.Schedule);
                var target = OutputLaw.Target(model, sc.TMin);
                foreach (int n in preset.ExactLadder)
                {
                    var law = OutputLaw.Compute(sampler, model, sc.Grid(n));
                    rows.Add(new DdpmStudyRow(problem.Name, sc.Name, sampler.Info.Name, n, law.KullbackLeibler(target), law.Wasserstein2(target)));
                }
            }
        return rows;
    }
}
