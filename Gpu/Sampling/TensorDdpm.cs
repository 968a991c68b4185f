using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>DDPM ancestral (S7.7, [79]-[80], [83]) on a VP schedule, batched, step t -&gt; s:
/// beta = 1 - alpha(t)^2/alpha(s)^2, x_s = (x_t - beta/sigma_t eps)/sqrt(1 - beta) + sigma z with sigma^2 = beta
/// (0 on the last step) or beta~ = sigma_s^2 beta / sigma_t^2. One draw per step, as in Numerics' Ddpm.</summary>
public sealed class TensorDdpm : TensorSampler
{
    private readonly DdpmVariance variance;
    private readonly string name;

    /// <summary>DDPM with the given sigma^2 choice (validated, and named, by the Numerics twin).</summary>
    public TensorDdpm(DdpmVariance variance)
    {
        name = new Ddpm(variance).Info.Name;
        this.variance = variance;
    }

    /// <inheritdoc/>
    public override string Name => name;

    /// <inheritdoc/>
    public override ScheduleRequirement Requires => ScheduleRequirement.VariancePreserving;

    /// <inheritdoc/>
    protected override Tensor Step(TensorSamplingRun run, int i, Tensor x)
    {
        double t = run.Grid[i], s = run.Grid[i + 1];
        var sch = run.Schedule;
        var eps = run.View.Noise(x, t);
        var z = run.Noise.Next(t, s, x);
        double sigmaT = sch.Sigma(t), sigmaS = sch.Sigma(s);
        double alphaStep = Math.Pow(sch.Alpha(t) / sch.Alpha(s), 2);
        double beta = -Numeric.ExpM1(2.0 * (Math.Log(sch.Alpha(t)) - Math.Log(sch.Alpha(s))));
        double noiseVariance = variance == DdpmVariance.BetaTilde
            ? sigmaS * sigmaS * beta / (sigmaT * sigmaT)
            : i == run.Grid.Steps - 1 ? 0.0 : beta;
        double scale = 1.0 / Math.Sqrt(alphaStep), noiseScale = Math.Sqrt(noiseVariance);
        return (x - eps * (beta / sigmaT)) * scale + z * noiseScale;
    }
}
