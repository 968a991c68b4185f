using BenchmarkDotNet.Attributes;
using Verified.Gpu;
using Verified.Numerics;
using Verified.Theory;

namespace Verified.Benchmarks;

/// <summary>Micro-benchmarks of the exact oracle: one point through the Theory oracle vs a block through the batched path.</summary>
[MemoryDiagnoser]
public class OracleScore
{
    private MixtureOracle scalar = null!;
    private BatchedOracle batched = null!;
    private BatchedOracle.Workspace workspace = null!;
    private double[][] block = null!, score = null!;
    private readonly double[] point = [0.3, -1.1];

    /// <summary>Block size of the batched evaluation.</summary>
    public const int Block = 2048;

    [GlobalSetup]
    public void Setup()
    {
        var data = ReferenceCase.Data(2);
        scalar = new MixtureOracle(data, ReferenceCase.Schedule());
        batched = new BatchedOracle(data, ReferenceCase.Schedule());
        workspace = new BatchedOracle.Workspace(batched, Block);
        var rng = new Xoshiro256(1);
        block = [Enumerable.Range(0, Block).Select(_ => rng.NextGaussian()).ToArray(), Enumerable.Range(0, Block).Select(_ => rng.NextGaussian()).ToArray()];
        score = [new double[Block], new double[Block]];
    }

    [Benchmark(Description = "Theory MixtureOracle.Score, one point (K=8, d=2)")]
    public double[] ScalarScore() => scalar.Score(point, 0.5);

    [Benchmark(Description = "BatchedOracle.Score, 2048 points (K=8, d=2)", OperationsPerInvoke = Block)]
    public void BatchedScore() => batched.Score(0.5, block, score, 0, Block, workspace);
}

/// <summary>One sampler run per invocation: the scalar Numerics DDIM on one point, 100 steps.</summary>
[MemoryDiagnoser]
public class ScalarSampler
{
    private OracleModel model = null!;
    private TimeGrid grid = null!;

    [GlobalSetup]
    public void Setup()
    {
        model = new OracleModel(ReferenceCase.Data(2), ReferenceCase.Schedule());
        grid = ReferenceCase.Grid(100);
    }

    [Benchmark(Description = "Numerics Ddim(0), one sample, 100 steps")]
    public double[] Ddim() => new Ddim(0).Sample(model, [0.3, -1.1], grid, ZeroNoise.Instance).State;
}

/// <summary>Training: ten DSM optimiser steps per invocation (batch 256, the default 128x3 eps network), reported per step.</summary>
public class TrainingStep
{
    private const int Steps = 10;

    [Benchmark(Description = "DSM training step (batch 256, MLP 128x3, d=2)", OperationsPerInvoke = Steps)]
    public double Train()
    {
        using var network = new DenoiserNetwork(new NetworkConfig(2, NetworkTarget.Noise, ReferenceCase.Schedule().Name), seed: 1);
        return Trainer.Train(network, ReferenceCase.Data(2), new TrainingOptions(Steps: Steps, BatchSize: 256)).FinalLoss;
    }
}
