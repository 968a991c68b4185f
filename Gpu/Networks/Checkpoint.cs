using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verified.Gpu;

/// <summary>A checkpoint file that cannot be read: wrong format, damaged, or written by an incompatible version.
/// The message names the file and what is wrong; nothing about the file is trusted before it is checked.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Saves and loads a <see cref="DenoiserNetwork"/> with its config. Layout: 8-byte magic "VRFDNET1", SHA-256 of the
/// payload (32 bytes), payload = [int32 config length, config JSON (UTF-8), TorchSharp state dict]. The checksum turns
/// any truncation or corruption into a clear <see cref="CheckpointException"/> before TorchSharp parses anything, and
/// saving writes a temporary file and renames it, so an existing checkpoint is never left half-written.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "VRFDNET1"u8.ToArray();
    private const int MaxConfigBytes = 1 << 16;
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The checkpoint file's bytes for <paramref name="network"/>: the magic, the SHA-256 of the payload, then
    /// the payload (config length, config JSON, TorchSharp weights). A caller with its own file policy writes these.</summary>
    public static byte[] ToBytes(DenoiserNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            var config = JsonSerializer.SerializeToUtf8Bytes(network.Config, Json);
            writer.Write(config.Length);
            writer.Write(config);
            network.save(writer);
        }
        var bytes = payload.ToArray();
        return [.. Magic, .. SHA256.HashData(bytes), .. bytes];
    }

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> (replacing it) through a hidden temporary
    /// file renamed over it, so a reader never sees half a checkpoint. (Verified.Gpu has no storage layer; the CLI's
    /// train verb writes <see cref="ToBytes"/> through Verified.Measuring's AtomicFile after its overwrite check.)</summary>
    public static void Save(DenoiserNetwork network, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = ToBytes(network);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Reads a network written by <see cref="Save"/>.</summary>
    /// <exception cref="CheckpointException">the file is missing, not a checkpoint, damaged, or holds an invalid config.</exception>
    public static DenoiserNetwork Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"cannot read checkpoint '{path}': {e.Message}", e);
        }
        int header = Magic.Length + 32;
        if (bytes.Length < header + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException($"'{path}' is not a Verified network checkpoint (missing the VRFDNET1 header)");
        var payload = bytes.AsSpan(header);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(Magic.Length, 32)))
            throw new CheckpointException($"checkpoint '{path}' is damaged: its checksum does not match (truncated or modified file)");
        using var stream = new MemoryStream(bytes, header, bytes.Length - header, writable: false);
        using var reader = new BinaryReader(stream);
        int length = reader.ReadInt32();
        if (length < 2 || length > MaxConfigBytes || length > stream.Length - 4)
            throw new CheckpointException($"checkpoint '{path}' has an invalid config length {length}");
        NetworkConfig config;
        try
        {
            config = JsonSerializer.Deserialize<NetworkConfig>(reader.ReadBytes(length), Json)
                ?? throw new CheckpointException($"checkpoint '{path}' holds an empty config");
            config.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new CheckpointException($"checkpoint '{path}' holds an invalid network config: {e.Message}", e);
        }
        var network = new DenoiserNetwork(config, 0);
        try
        {
            network.load(reader);
        }
        catch (Exception e)
        {
            network.Dispose();
            throw new CheckpointException($"checkpoint '{path}': the weights do not fit the config ({e.Message})", e);
        }
        network.eval();
        return network;
    }
}
