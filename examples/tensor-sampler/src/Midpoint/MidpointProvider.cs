using Verified.Gpu;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Example;

/// <summary>
/// Exposes the midpoint tensor sampler to <c>report|gate|baseline --assembly</c> (the discovery rule of
/// docs/YOUR-SAMPLER.md: public <see cref="ISamplerProvider"/> types): the adapter runs it on the CPU in float64 under
/// the sampler-under-test contract. Run from a program that carries libtorch (a Verified checkout's Reports, or your
/// own project referencing Verified.Gpu); the packed <c>verified</c> tool ships without libtorch natives.
/// </summary>
public sealed class MidpointProvider : ISamplerProvider
{
    /// <summary>The midpoint rule (TENSOR_MIDPOINT_BUG=1 switches on the wrong variant) as a float64 CPU subject.</summary>
    public IEnumerable<Sampler> Samplers() => [new TensorSamplerAdapter(new Midpoint(), ScalarType.Float64, CPU)];
}
