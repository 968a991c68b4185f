using Verified.Theory;

namespace Verified.Numerics;

/// <summary>
/// A token-level data law (C9.2): a distribution over response token sequences of one length L (given a fixed prompt).
/// Through an embedding table it makes z0 a mixture of point masses, one per sequence, so the ideal x0-predictor
/// f*(z_t, t) = E[z0 | z_t] is the closed-form posterior mean of the oracle.
/// </summary>
public sealed class TokenSequenceLaw
{
    private readonly int[][] sequences;
    private readonly double[] probabilities;

    /// <summary>The law putting probabilities[i] on sequences[i].</summary>
    /// <param name="sequences">distinct sequences of one length L &gt;= 1, tokens &gt;= 0.</param>
    /// <param name="probabilities">one per sequence, &gt; 0, summing to 1 (within 1e-9).</param>
    public TokenSequenceLaw(int[][] sequences, double[] probabilities)
    {
        Check.NotNull(sequences, nameof(sequences));
        Check.NotNull(probabilities, nameof(probabilities));
        if (sequences.Length == 0 || sequences.Length != probabilities.Length)
            throw new ArgumentException($"probabilities must have one entry per sequence ({sequences.Length}, at least 1), got {probabilities.Length}", nameof(probabilities));
        int length = sequences[0]?.Length ?? 0;
        if (length < 1) throw new ArgumentException("sequences[0] must hold at least one token", nameof(sequences));
        for (int i = 0; i < sequences.Length; i++)
        {
            if (sequences[i] is null || sequences[i].Length != length)
                throw new ArgumentException($"sequences[{i}] must have length {length} (that of sequences[0])", nameof(sequences));
            if (sequences[i].Any(v => v < 0)) throw new ArgumentException($"sequences[{i}] holds a negative token", nameof(sequences));
            for (int j = 0; j < i; j++)
                if (sequences[j].SequenceEqual(sequences[i])) throw new ArgumentException($"sequences[{i}] repeats sequences[{j}]", nameof(sequences));
            Check.Positive(probabilities[i], $"probabilities[{i}]");
        }
        if (Math.Abs(probabilities.Sum() - 1) > 1e-9)
            throw new ArgumentException($"probabilities must sum to 1 (within 1e-9), got {probabilities.Sum():R}", nameof(probabilities));
        this.sequences = sequences.Select(s => (int[])s.Clone()).ToArray();
        this.probabilities = (double[])probabilities.Clone();
        Length = length;
    }

    /// <summary>L.</summary>
    public int Length { get; }

    /// <summary>The number of sequences in the support.</summary>
    public int Count => sequences.Length;

    /// <summary>Sequence i (a copy).</summary>
    public int[] Sequence(int i) => (int[])sequences[i].Clone();

    /// <summary>Its probability.</summary>
    public double Probability(int i) => probabilities[i];

    /// <summary>The index of a sequence in the support, or -1.</summary>
    public int IndexOf(IReadOnlyList<int> tokens) => Array.FindIndex(sequences, s => s.SequenceEqual(tokens));

    /// <summary>The law of z0 = embed(y): point masses at the embedded sequences (GaussianMixture.PointMasses).</summary>
    public GaussianMixture Embedded(EmbeddingTable table)
    {
        Check.NotNull(table, nameof(table));
        return GaussianMixture.PointMasses(probabilities, sequences.Select(table.Embed).ToArray());
    }

    /// <summary>The exact denoiser of the embedded law under a schedule: read as x0-prediction it is
    /// f*(z_t, t) = E[z0 | z_t] (C9.2).</summary>
    public OracleModel ExactDenoiser(EmbeddingTable table, Schedule schedule) => new(Embedded(table), schedule);
}
