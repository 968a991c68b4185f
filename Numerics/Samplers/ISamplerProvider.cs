namespace Verified.Numerics;

/// <summary>
/// Hands samplers to the <c>verified</c> tool from a plug-in assembly (<c>--assembly PATH.dll</c>). Discovery rule: every
/// public non-abstract type of the assembly that derives from <see cref="Sampler"/> and has a public parameterless
/// constructor is measured, and so is every sampler returned by a public non-abstract type implementing this interface
/// (also with a public parameterless constructor) — use it for samplers that need constructor arguments.
/// </summary>
public interface ISamplerProvider
{
    /// <summary>Fresh sampler instances with unique <see cref="SamplerInfo.Name"/>s. Called once to list them and again
    /// whenever a measuring job needs its own instance.</summary>
    IEnumerable<Sampler> Samplers();
}
