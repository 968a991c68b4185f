using TorchSharp;
using Verified.Numerics;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// Runs a <see cref="TensorSampler"/> under the Numerics <see cref="Sampler"/> contract, so the report, the gate, the
/// measuring API and the test helper measure it like any CPU sampler, on the device and dtype it is built for.
/// <see cref="Integrate"/> moves the n d batch to an [n, d] tensor, drives the tensor sampler with the exact tensor oracle
/// (<see cref="TensorMixtureOracle"/>) when the model is an <see cref="OracleModel"/> and with the model itself
/// otherwise (copied through the CPU per call), takes every tensor-noise draw from the run's <see cref="INoiseSource"/>
/// as one [n, d] Fill (so shared Brownian paths, replay and probing work unchanged), counts the tensor sampler's model
/// calls as the run's NFE and copies the final batch back.
/// </summary>
/// <remarks>The name is <c>tensor-NAME[DTYPE]</c> (e.g. <c>tensor-ddim(eta=0)[float32]</c>), so one tensor sampler in
/// two dtypes gives two report subjects beside its Numerics twin. Step callbacks are not supported: the tensor loop
/// runs on the device, and the state is copied back once, at the end.</remarks>
public sealed class TensorSamplerAdapter : Sampler, IFinitePrecisionSampler
{
    // One tensor oracle per oracle model, built on first use and shared by the jobs (threads) that use that model; it
    // lives as long as the model (its constants are freed when both are collected).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<OracleModel, TensorMixtureOracle> oracles = new();

    /// <summary>Adapts <paramref name="sampler"/> to run on <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    /// <param name="sampler">the tensor sampler (a fresh instance per adapter is not required: tensor samplers keep
    /// their per-run state in <see cref="TensorSamplingRun"/>).</param>
    /// <param name="dtype">Float64 or Float32.</param>
    /// <param name="device">where the tensors live; null for the CPU (the default device is not chosen silently, so a
    /// run is reproducible on the machine that recorded it).</param>
    /// <param name="declaration">what the sampler promises; null for <see cref="TensorSampler.Declaration"/>, and when
    /// that is null too, the declaration of the Numerics sampler named <see cref="TensorSampler.Name"/>.</param>
    /// <exception cref="ArgumentException">dtype is not Float64 or Float32, the device is CUDA without CUDA, or no
    /// declaration exists (no Numerics sampler has the tensor sampler's name and it declares none).</exception>
    public TensorSamplerAdapter(TensorSampler sampler, ScalarType dtype = ScalarType.Float64, Device? device = null, SamplerInfo? declaration = null)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        TensorChecks.FloatingType(dtype, nameof(dtype));
        device ??= CPU;
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new ArgumentException($"device '{device}' requested but CUDA is not available (this build uses TorchSharp-cpu); use the CPU", nameof(device));
        Tensor = sampler;
        DType = dtype;
        Device = device;
        var declared = declaration ?? sampler.Declaration ?? Twin(sampler.Name);
        // float32 rounding breaks exact affinity in (start, noise), so the exact output law (which probes the sampler as
        // an affine map and checks the probe against a direct run) applies to float64 only.
        Info = declared with { Name = NameOf(declared.Name, dtype), IsAffine = declared.IsAffine && dtype == ScalarType.Float64 };
        declaredAffine = declared.IsAffine;
        this.declaration = declaration;
    }

    private readonly bool declaredAffine;
    private readonly SamplerInfo? declaration;

    /// <summary>In float32, the same tensor sampler in float64 on the same device (declared affine when the sampler is):
    /// the report probes it for the exact output law and bounds this sampler's distance from it by a coupled run. Null in float64.</summary>
    public Sampler? ExactArithmetic => DType == ScalarType.Float64 || !declaredAffine ? null : new TensorSamplerAdapter(Tensor, ScalarType.Float64, Device, declaration);

    /// <summary>The adapted tensor sampler.</summary>
    public TensorSampler Tensor { get; }

    /// <summary>The dtype the tensors have.</summary>
    public ScalarType DType { get; }

    /// <summary>The device the tensors live on.</summary>
    public Device Device { get; }

    /// <summary>The tensor sampler's declaration under the name <c>tensor-NAME[DTYPE]</c>; in float32 it is not declared
    /// affine (round-off breaks exact affinity), so its weak exact-tier ladder is measured through <see cref="ExactArithmetic"/>.</summary>
    public override SamplerInfo Info { get; }

    /// <summary>Unit round-off of <see cref="DType"/> (2^-53 for float64, 2^-24 for float32): the relative error one
    /// rounding makes, from which the report sets the round-off floor of this subject (<see cref="IFinitePrecisionSampler"/>).</summary>
    public double UnitRoundOff => DType == ScalarType.Float32 ? Math.Pow(2, -24) : Math.Pow(2, -53);

    /// <summary>The adapted name: <c>tensor-NAME[float64]</c> or <c>tensor-NAME[float32]</c>.</summary>
    public static string NameOf(string name, ScalarType dtype) => $"tensor-{name}[{DTypeName(dtype)}]";

    /// <summary>"float64" or "float32".</summary>
    public static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => "float64",
        ScalarType.Float32 => "float32",
        _ => throw new ArgumentException($"dtype must be Float64 or Float32, got {dtype}", nameof(dtype)),
    };

    /// <summary>Parses "float64" or "float32" (case-insensitive); the message lists the valid names.</summary>
    /// <exception cref="ArgumentException">any other name.</exception>
    public static ScalarType ParseDType(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "float64" => ScalarType.Float64,
            "float32" => ScalarType.Float32,
            _ => throw new ArgumentException($"dtype '{name}' is not supported; valid: float64, float32", nameof(name)),
        };
    }

    /// <summary>Every shipped tensor sampler (<see cref="TensorSamplerRegistry"/>) adapted to each of <paramref name="dtypes"/> on the CPU.</summary>
    public static IReadOnlyList<TensorSamplerAdapter> Shipped(IEnumerable<ScalarType> dtypes)
    {
        ArgumentNullException.ThrowIfNull(dtypes);
        return dtypes.SelectMany(dt => TensorSamplerRegistry.All().Select(s => new TensorSamplerAdapter(s, dt))).ToList();
    }

    /// <summary>Runs the tensor sampler on the whole batch and writes its final state into x.</summary>
    /// <exception cref="NotSupportedException">a step callback was given.</exception>
    protected override void Integrate(SamplingRun run, double[] x, StepCallback? callback)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(x);
        if (callback is not null)
            throw new NotSupportedException($"{Info.Name} runs on a tensor device and reports no per-step states; call Sample without a callback");
        int n = run.Count, d = run.Dimension;
        using var scope = NewDisposeScope();
        using var start = tensor(x, [n, d], ScalarType.Float64).to(DType, Device);
        var model = ModelFor(run.View.Model);
        var result = Tensor.Sample(model, start, run.Grid, new BlockNoise(run.Noise));
        using var state = result.State;
        using var cpu = state.to(ScalarType.Float64, CPU).contiguous();
        cpu.data<double>().CopyTo(x);
        run.View.AddEvaluations(result.Evaluations);
    }

    /// <summary>Not used: <see cref="Integrate"/> runs the whole grid on the device.</summary>
    protected override void Step(SamplingRun run, int i, double[] x) =>
        throw new NotSupportedException($"{Info.Name} steps on a tensor device; its run goes through Integrate");

    private ITensorModel ModelFor(IDiffusionModel model) =>
        model is OracleModel oracle
            ? new OracleTensorModel(oracles.GetValue(oracle, o => new TensorMixtureOracle(o.Oracle.Mixture, o.Oracle.Schedule, Device, DType)))
            : new CpuModel(model, Device);

    private static SamplerInfo Twin(string name)
    {
        try
        {
            return SamplerRegistry.ByName(name).Info;
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"tensor sampler '{name}' has no Numerics sampler of the same name and declares no SamplerInfo: " +
                "override TensorSampler.Declaration or pass a declaration to the adapter", "sampler");
        }
    }

    /// <summary>One [n, d] Fill of the run's noise source per tensor draw, moved to the draw's dtype and device.</summary>
    private sealed class BlockNoise(INoiseSource noise) : ITensorNoise
    {
        public Tensor Next(double from, double to, Tensor like)
        {
            var z = new double[like.numel()];
            noise.Fill(from, to, z);
            using var block = tensor(z, like.shape, ScalarType.Float64);
            return block.to(like.dtype, like.device, copy: true);
        }
    }

    /// <summary>A Numerics model read from tensors: the batch is copied to the CPU in float64, predicted there in one
    /// call and copied back in the tensor's dtype and device.</summary>
    private sealed class CpuModel(IDiffusionModel model, Device device) : ITensorModel
    {
        public int Dimension => model.Dimension;

        public PredictionKind Kind => model.Kind;

        public Theory.Schedule Schedule => model.Schedule;

        public Tensor Predict(Tensor x, double t)
        {
            using var cpu = x.to(ScalarType.Float64, CPU).contiguous();
            var input = cpu.data<double>().ToArray();
            var output = new double[input.Length];
            model.Predict(input, t, output);
            using var result = tensor(output, x.shape, ScalarType.Float64);
            return result.to(x.dtype, device, copy: true);
        }
    }
}
