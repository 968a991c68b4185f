namespace Verified.Numerics;

/// <summary>
/// A frozen embedding table (section 9): one vector e_v in R^m per vocabulary entry v. A response of L tokens is the
/// concatenation z0 = (e_{y_1}, ..., e_{y_L}) in R^{L m}; rounding maps each block z_l to argmax_v &lt;z_l, e_v&gt; ([121]).
/// </summary>
public sealed class EmbeddingTable
{
    private readonly double[,] vectors;

    /// <summary>A table from its rows.</summary>
    /// <param name="vectors">V x m, finite, V &gt;= 2 tokens, m &gt;= 1, not all zero.</param>
    public EmbeddingTable(double[,] vectors)
    {
        Check.NotNull(vectors, nameof(vectors));
        if (vectors.GetLength(0) < 2 || vectors.GetLength(1) < 1)
            throw new ArgumentException($"vectors must be V x m with V >= 2 and m >= 1, got {vectors.GetLength(0)}x{vectors.GetLength(1)}", nameof(vectors));
        double squares = 0;
        foreach (var v in vectors)
        {
            if (!double.IsFinite(v)) throw new ArgumentException($"vectors must be finite, got {v}", nameof(vectors));
            squares += v * v;
        }
        if (squares == 0) throw new ArgumentException("vectors must not all be zero", nameof(vectors));
        this.vectors = (double[,])vectors.Clone();
        RootMeanSquare = Math.Sqrt(squares / vectors.Length);
    }

    /// <summary>V.</summary>
    public int VocabularySize => vectors.GetLength(0);

    /// <summary>m, the embedding width.</summary>
    public int Width => vectors.GetLength(1);

    /// <summary>rho, the RMS of the entries: the scale of the rollout's start z_T ~ N(0, rho^2 I) ([125]).</summary>
    public double RootMeanSquare { get; }

    /// <summary>z0 = (e_{y_1}, ..., e_{y_L}).</summary>
    /// <param name="tokens">L &gt;= 1 tokens in 0..V-1.</param>
    public double[] Embed(IReadOnlyList<int> tokens)
    {
        Check.NotNull(tokens, nameof(tokens));
        Check.AtLeast(tokens.Count, 1, "tokens.Count");
        int m = Width;
        var z = new double[tokens.Count * m];
        for (int l = 0; l < tokens.Count; l++)
        {
            int v = tokens[l];
            if (v < 0 || v >= VocabularySize)
                throw new ArgumentOutOfRangeException(nameof(tokens), v, $"tokens[{l}] must be in 0..{VocabularySize - 1}, got {v}");
            for (int k = 0; k < m; k++) z[l * m + k] = vectors[v, k];
        }
        return z;
    }

    /// <summary>Rounding: token l = argmax_v &lt;z_l, e_v&gt; (the smallest v on ties).</summary>
    /// <param name="z">a concatenation of L blocks of width m.</param>
    public int[] Round(ReadOnlySpan<double> z)
    {
        int m = Width;
        if (z.Length == 0 || z.Length % m != 0)
            throw new ArgumentException($"z must have a positive length divisible by the width {m}, got {z.Length}", nameof(z));
        var tokens = new int[z.Length / m];
        for (int l = 0; l < tokens.Length; l++)
        {
            double best = double.NegativeInfinity;
            for (int v = 0; v < VocabularySize; v++)
            {
                double logit = 0;
                for (int k = 0; k < m; k++) logit += z[l * m + k] * vectors[v, k];
                if (logit > best) { best = logit; tokens[l] = v; }
            }
        }
        return tokens;
    }
}
