using Verified.Gpu;
using Verified.Reports.Subjects;

namespace Verified.Reports.Cli;

/// <summary>The shipped tensor samplers (<see cref="TensorSamplerRegistry"/>) as report subjects through
/// <see cref="TensorSamplerAdapter"/> on the CPU device (<c>--tensor float64,float32</c>); each job gets a fresh adapter.</summary>
public static class TensorSubjects
{
    /// <summary>The origin printed for these subjects.</summary>
    public const string Origin = "built-in tensor sampler (Verified.Gpu, CPU device)";

    /// <summary>One subject per shipped tensor sampler and dtype, named <c>tensor-NAME[DTYPE]</c>.</summary>
    /// <exception cref="UserErrorException">a dtype is not float64 or float32, or one is given twice.</exception>
    public static IReadOnlyList<SamplerSubject> For(IReadOnlyList<string> dtypes)
    {
        ArgumentNullException.ThrowIfNull(dtypes);
        if (dtypes.Distinct().Count() != dtypes.Count) throw new UserErrorException($"--tensor names a dtype twice: {string.Join(", ", dtypes)}");
        var subjects = new List<SamplerSubject>();
        foreach (var name in dtypes)
        {
            TorchSharp.torch.ScalarType dtype;
            try
            {
                dtype = TensorSamplerAdapter.ParseDType(name);
            }
            catch (ArgumentException e)
            {
                throw new UserErrorException($"--tensor: {e.Message.Split(" (Parameter")[0]}");
            }
            foreach (var sampler in TensorSamplerRegistry.All())
            {
                string tensorName = sampler.Name;
                subjects.Add(new SamplerSubject(TensorSamplerAdapter.NameOf(tensorName, dtype),
                    () => new TensorSamplerAdapter(TensorSamplerRegistry.ByName(tensorName), dtype), Origin));
            }
        }
        return subjects;
    }
}
