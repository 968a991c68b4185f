using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// A small MLP denoiser f_theta(x, t, c): input [x, t/T, lambda(t)/4, sin/cos(2^k pi t/T), one-hot(c or null)], SiLU hidden layers,
/// output in R^d whose meaning is <see cref="NetworkConfig.Target"/>. Parameters are float32 and initialised from an
/// explicit generator (uniform(+-1/sqrt(fan_in)), PyTorch's nn.Linear default), so a seed fixes the network bit for bit.
/// </summary>
public sealed class DenoiserNetwork : nn.Module
{
    private readonly ModuleList<Linear> layers;
    private readonly double horizon;
    private readonly Theory.Schedule schedule;

    /// <summary>A freshly initialised network.</summary>
    /// <param name="config">architecture and target (validated).</param>
    /// <param name="seed">initialisation seed.</param>
    public DenoiserNetwork(NetworkConfig config, ulong seed) : base("denoiser")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        schedule = config.Schedule;
        horizon = schedule.TMax;
        var widths = new List<int> { config.InputWidth };
        for (int i = 0; i < config.Layers; i++) widths.Add(config.Hidden);
        widths.Add(config.Dimension);
        layers = new ModuleList<Linear>();
        for (int i = 0; i + 1 < widths.Count; i++) layers.Add(nn.Linear(widths[i], widths[i + 1], dtype: ScalarType.Float32));
        RegisterComponents();
        using var generator = new Generator(seed, CPU);
        using var noGrad = no_grad();
        foreach (var layer in layers)
        {
            double bound = 1.0 / Math.Sqrt(layer.in_features);
            // nn.init.uniform_ ignores its generator argument in TorchSharp 0.107 (found by the seeding test), so draw directly.
            Uniform(layer.weight!, bound, generator);
            if (layer.bias is not null) Uniform(layer.bias, bound, generator);
        }
    }

    private static void Uniform(Tensor parameter, double bound, Generator generator)
    {
        using var values = rand(parameter.shape, ScalarType.Float32, CPU, generator: generator);
        parameter.copy_(values.TimesInPlace(2 * bound).MinusInPlace(bound));
    }

    /// <summary>Architecture and target.</summary>
    public NetworkConfig Config { get; }

    /// <summary>The raw output for x [n, d] (float32), times t [n] (float32) and class indices [n] (int64; -1 = null,
    /// required iff the network is conditional). Differentiable (used for training).</summary>
    public Tensor Forward(Tensor x, Tensor t, Tensor? classes)
    {
        using var scope = NewDisposeScope();
        var tau = t.Over(horizon).unsqueeze(1);
        var parts = new List<Tensor> { x, tau, LogSnrFeature(t) };
        if (Config.Frequencies > 0)
        {
            var k = exp2(Scalars.Range(Config.Frequencies, ScalarType.Float32, x.device)).Times(Math.PI); // 2^j exactly
            var angles = tau * k.unsqueeze(0);
            parts.Add(angles.sin());
            parts.Add(angles.cos());
        }
        if (Config.Classes > 0)
        {
            if (classes is null) throw new ArgumentNullException(nameof(classes), "a class-conditional network needs class indices (-1 for the null condition)");
            var slot = where(classes.LessThan(0), Scalars.FullLike(classes, Config.Classes), classes);
            parts.Add(nn.functional.one_hot(slot, Config.Classes + 1).to(ScalarType.Float32));
        }
        var h = cat(parts, 1);
        for (int i = 0; i < layers.Count; i++)
        {
            h = layers[i].forward(h);
            if (i + 1 < layers.Count) h = nn.functional.silu(h);
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>clamp(lambda(t), -12, 12)/4: the half log-SNR resolves the small-t end, where sigma changes fastest
    /// and t alone crowds all the structure into a sliver of the input range.</summary>
    private Tensor LogSnrFeature(Tensor t)
    {
        var times = t.to(ScalarType.Float64, CPU).data<double>().ToArray();
        var values = times.Select(v => Math.Clamp(schedule.Lambda(v), -12.0, 12.0) / 4.0).ToArray();
        return tensor(values, [values.Length, 1], ScalarType.Float64).to(ScalarType.Float32, t.device);
    }
}
