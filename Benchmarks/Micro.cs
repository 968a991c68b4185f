using System.Runtime.Intrinsics;
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

/// <summary>The isotropic kernel against its exp ceiling, in cache, per point-step (K = 8 exps each); .NET's own vector
/// exp alongside (the kernel used it before KernelExp).</summary>
public class KernelVsExp
{
    private const int Block = 2048, K = 8;
    private BatchedOracle oracle = null!;
    private BatchedOracle.Workspace workspace = null!;
    private double[][] x = null!, scratch = null!;
    private double[] input = null!, output = null!;

    [GlobalSetup]
    public void Setup()
    {
        oracle = new BatchedOracle(ReferenceCase.Data(2), ReferenceCase.Schedule());
        workspace = new BatchedOracle.Workspace(oracle, Block);
        var rng = new Xoshiro256(1);
        x = [Enumerable.Range(0, Block).Select(_ => 2 * rng.NextGaussian()).ToArray(), Enumerable.Range(0, Block).Select(_ => 2 * rng.NextGaussian()).ToArray()];
        scratch = [new double[Block], new double[Block]];
        input = Enumerable.Range(0, K * Block).Select(i => -30.0 * i / (K * Block)).ToArray(); // like log terms minus their max
        output = new double[K * Block];
    }

    [Benchmark(Description = "isotropic kernel (AffineScoreStep, a = 1, b = 0), per point-step", OperationsPerInvoke = Block)]
    public void Kernel() => oracle.AffineScoreStep(0.01, 1.0, 0.0, x, scratch, 0, Block, workspace);

    [Benchmark(Description = "ceiling: K KernelExp exps, per point-step", OperationsPerInvoke = Block)]
    public void Ceiling() => ExpCeiling.Pass(input, output);

    [Benchmark(Description = ".NET Vector512.Exp, K exps, per point-step", OperationsPerInvoke = Block)]
    public void DotNetExp()
    {
        for (int i = 0; i < input.Length; i += 8) Vector512.Exp(Vector512.Create(input.AsSpan(i, 8))).CopyTo(output.AsSpan(i));
    }
}

/// <summary>OracleModel.Predict on a non-isotropic mixture (two full covariances, d = 2), per point: the batch in one
/// call (now) against one point per oracle call (the per-point path OracleModel used for such mixtures before the
/// oracle became position-independent).</summary>
[MemoryDiagnoser]
public class OracleModelPredict
{
    private const int Batch = 2048;
    private OracleModel model = null!;
    private double[] x = null!, y = null!;
    private double[][] columns = null!, scores = null!;
    private BatchedOracle.Workspace workspace = null!;

    [GlobalSetup]
    public void Setup()
    {
        var mixture = new GaussianMixture([0.3, 0.7], [[1.5, 0.0], [-1.0, 0.5]], [new[,] { { 0.2, 0.05 }, { 0.05, 0.1 } }, new[,] { { 0.3, 0.0 }, { 0.0, 0.3 } }]);
        model = new OracleModel(mixture, ReferenceCase.Schedule());
        var rng = new Xoshiro256(2);
        x = new double[2 * Batch];
        rng.FillGaussian(x);
        y = new double[2 * Batch];
        columns = [x.Where((_, i) => i % 2 == 0).ToArray(), x.Where((_, i) => i % 2 == 1).ToArray()];
        scores = [new double[Batch], new double[Batch]];
        workspace = new BatchedOracle.Workspace(model.Batched, Batch);
    }

    [Benchmark(Description = "OracleModel.Predict, full covariances, batch of 2048, per point", OperationsPerInvoke = Batch)]
    public void Predict() => model.Predict(x, 0.3, y);

    [Benchmark(Description = "the removed per-point path: BatchedOracle.Score one point per call, per point", OperationsPerInvoke = Batch)]
    public void PerPoint()
    {
        for (int i = 0; i < Batch; i++) model.Batched.Score(0.3, columns, scores, i, 1, workspace);
    }
}
