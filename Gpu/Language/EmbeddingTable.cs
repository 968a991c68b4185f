using TorchSharp;
using Verified.Theory;
using static TorchSharp.torch;

namespace Verified.Gpu;

/// <summary>
/// A frozen embedding table E (row v = e_v in R^m) for the embedding-space language model of THEORY section 9, on
/// tensors: the table, z0 = (e_{y_1}, ..., e_{y_L}) and rho are Numerics' <see cref="Numerics.EmbeddingTable"/> (one
/// home); this adds only the batched rounding by the logits l_v = &lt;z0^, e_v&gt; [121] position by position.
/// </summary>
public sealed class EmbeddingTable
{
    private readonly double[] rows; // V x m, row-major, for the tensor rounding

    /// <summary>A table from explicit rows.</summary>
    /// <param name="embeddings">V &gt;= 2 rows of equal length m &gt;= 1, finite, not all zero.</param>
    public EmbeddingTable(double[][] embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Length < 2) throw new ArgumentException($"embeddings must have at least 2 rows (tokens), got {embeddings.Length}", nameof(embeddings));
        int width = embeddings[0]?.Length ?? 0;
        if (width < 1) throw new ArgumentException("embeddings[0] must be a non-empty vector", nameof(embeddings));
        var matrix = new double[embeddings.Length, width];
        rows = new double[embeddings.Length * width];
        for (int v = 0; v < embeddings.Length; v++)
        {
            var e = embeddings[v];
            if (e is null || e.Length != width)
                throw new ArgumentException($"embeddings[{v}] must have length {width}, got {e?.Length.ToString() ?? "null"}", nameof(embeddings));
            for (int j = 0; j < width; j++) { matrix[v, j] = e[j]; rows[v * width + j] = e[j]; }
        }
        Table = new Numerics.EmbeddingTable(matrix);
    }

    /// <summary>The same table on the CPU (Numerics), for its rollout and token laws.</summary>
    public Numerics.EmbeddingTable Table { get; }

    /// <summary>V, the vocabulary size.</summary>
    public int Vocabulary => Table.VocabularySize;

    /// <summary>m, the embedding width.</summary>
    public int Width => Table.Width;

    /// <summary>rho, the RMS entry of E: the scale of the rollout's start z_T ~ N(0, rho^2 I) [125].</summary>
    public double Rho => Table.RootMeanSquare;

    /// <summary>z0 = (e_{y_1}, ..., e_{y_L}).</summary>
    public double[] Embed(IReadOnlyList<int> tokens) => Table.Embed(tokens);

    /// <summary>The point-mass mixture of a token-sequence law (C9.2): one component per sequence at its embedding,
    /// weighted by its probability, labelled by its prompt (class) index.</summary>
    public GaussianMixture SequenceMixture(IReadOnlyList<int[]> sequences, double[] probabilities, int[]? prompts = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(probabilities);
        var means = sequences.Select(s => Embed(s)).ToArray();
        return GaussianMixture.Isotropic(probabilities, means, new double[means.Length], prompts ?? new int[means.Length]);
    }

    /// <summary>Rounds z [n, L m] to tokens [n, L] (int64) by argmax_v &lt;z_p, e_v&gt; at each position p [121].</summary>
    public Tensor Round(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.dim() != 2 || z.shape[1] % Width != 0)
            throw new ArgumentException($"z must have shape [n, L * {Width}], got [{string.Join(", ", z.shape)}]", nameof(z));
        using var scope = NewDisposeScope();
        var table = tensor(rows, [Vocabulary, Width], ScalarType.Float64).to(z.dtype, z.device);
        var logits = matmul(z.reshape(z.shape[0], -1, Width), table.t());
        return logits.argmax(2).MoveToOuterDisposeScope();
    }
}
