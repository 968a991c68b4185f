using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Verified.Theory;

namespace Verified.Gpu;

/// <summary>
/// The data law a network was trained on, as recorded in its config and checkpoint: "K components in d-D, sha256:..."
/// where the hash covers the weights, means, covariance eigen-decompositions and labels written exactly (round-trip
/// formatting). A checkpoint checked against another law is refused instead of silently measured against it.
/// </summary>
public static class TrainingData
{
    /// <summary>The record of <paramref name="mixture"/>: equal for equal mixtures (same parameters bit for bit).</summary>
    public static string Describe(GaussianMixture mixture)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        var text = new StringBuilder();
        string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        for (int k = 0; k < mixture.Count; k++)
        {
            text.Append("w=").Append(R(mixture.Weight(k))).Append(";label=").Append(mixture.Label(k));
            text.Append(";mu=").AppendJoin(',', mixture.Mean(k).Select(R));
            text.Append(";l=").AppendJoin(',', mixture.ComponentEigenvalues(k).Select(R));
            if (!mixture.ComponentIsDiagonal(k)) text.Append(";U=").AppendJoin(',', mixture.ComponentEigenvectors(k).Select(R));
            text.Append('\n');
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        return $"{mixture.Count} components in {mixture.Dimension}-D, sha256:{hash[..16]}";
    }

    /// <summary>Throws a <see cref="CheckpointException"/> naming both laws when <paramref name="config"/> records
    /// training data other than <paramref name="mixture"/>. A config without a record (written before it existed)
    /// passes only the dimension check.</summary>
    /// <param name="config">the network's config.</param>
    /// <param name="mixture">the law it is about to be checked or used against.</param>
    /// <param name="source">the checkpoint file, for the message.</param>
    public static void CheckTrainedOn(NetworkConfig config, GaussianMixture mixture, string source)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(mixture);
        if (config.Dimension != mixture.Dimension)
            throw new CheckpointException($"checkpoint '{source}' holds a network for dimension {config.Dimension}, the data has dimension {mixture.Dimension}");
        if (config.TrainedOn is { } recorded && recorded != Describe(mixture))
            throw new CheckpointException(
                $"checkpoint '{source}' was trained on another data law ({recorded}) than the one given ({Describe(mixture)}); " +
                "pass the data options it was trained with");
    }
}
