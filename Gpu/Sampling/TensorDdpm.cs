using TorchSharp;
using Verified.Numerics;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>DDPM ancestral (S7.7, [79]-[80], [83]) on a VP schedule, batched, step t -&gt; s:
/// x_s = Scale (x_t - EpsCoefficient eps) + NoiseScale z with the coefficients of
/// StepCoefficients.Ddpm. One draw per step, as in Numerics' Ddpm.</summary>
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
        var (scale, epsCoefficient, noiseScale) = StepCoefficients.Ddpm(sch, t, s, variance, lastStep: i == run.Grid.Steps - 1);
        return (x - eps.Times(epsCoefficient)).Times(scale).Plus(z.Times(noiseScale));
    }
}
