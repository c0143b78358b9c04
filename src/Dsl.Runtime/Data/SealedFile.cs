using System.Security.Cryptography;
using System.Text;

namespace Dsl.Runtime.Data;

/// <summary>
/// A binary file that proves it is whole: a versioned header naming what it holds, the payload's length, the payload,
/// and a SHA-256 of everything before it. Written atomically; read only after the length and the checksum agree, so a
/// flipped byte, a truncated copy or appended garbage is refused before any of it is believed.
/// </summary>
/// <remarks>Layout: "DSLSEAL" 0x01 | kind (7-bit length-prefixed UTF-8) | payload length (int64 LE) | payload | SHA-256.</remarks>
public static class SealedFile
{
    private static readonly byte[] Magic = "DSLSEAL\u0001"u8.ToArray();
    private const int HashLength = 32;

    /// <param name="kind">what the file holds and its format version, e.g. "dsl-vi-checkpoint-2"</param>
    public static void Write(string path, string kind, Action<BinaryWriter> writePayload)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true)) writePayload(writer);
        AtomicFile.Write(path, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var header = new MemoryStream();
            using (var writer = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(kind);
                writer.Write(payload.Length);
            }
            foreach (var part in new[] { header, payload })
            {
                hash.AppendData(part.GetBuffer(), 0, (int)part.Length);
                stream.Write(part.GetBuffer(), 0, (int)part.Length);
            }
            stream.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>
    /// Checks the file and hands its payload to <paramref name="readPayload"/>, which must consume all of it. Every
    /// failure is an <see cref="InvalidDataException"/> whose message names the file and says what is wrong with it.
    /// </summary>
    public static T Read<T>(string path, string kind, Func<BinaryReader, T> readPayload)
    {
        var payload = Open(path, kind);
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false));
        T result;
        try
        {
            result = readPayload(reader);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: its contents end before the {kind} they should hold; the file was written by another build of dsl");
        }
        if (reader.BaseStream.Position != payload.Length)
            throw new InvalidDataException($"{path}: {payload.Length - reader.BaseStream.Position} bytes of its contents were not read; the file was written by another build of dsl");
        return result;
    }

    /// <summary>The kind a sealed file declares, or null for a file that is not one (for "written by another version" messages).</summary>
    public static string? KindOf(string path)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            return reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) ? reader.ReadString() : null;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static byte[] Open(string path, string kind)
    {
        if (Directory.Exists(path)) throw new InvalidDataException($"{path}: is a folder, not a {kind} file; remove or rename the folder");
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no such file");
        var bytes = File.ReadAllBytes(path);
        var body = bytes.Length - HashLength;
        if (body < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a {kind} file (no dsl header); give the file dsl wrote");
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, body, writable: false));
        reader.BaseStream.Position = Magic.Length;
        string declared;
        long length;
        try
        {
            declared = reader.ReadString();
            length = reader.ReadInt64();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or DecoderFallbackException)
        {
            throw Damaged(path, "its header is cut short");
        }
        var start = reader.BaseStream.Position;
        if (length < 0 || start + length != body)
            throw Damaged(path, length < 0 || start + length > body
                ? $"it is {bytes.Length} bytes, short of the {start + Math.Max(0, length) + HashLength} its header records (truncated)"
                : $"it is {bytes.Length} bytes, longer than the {start + length + HashLength} its header records (something was appended)");
        if (!SHA256.HashData(bytes.AsSpan(0, body)).AsSpan().SequenceEqual(bytes.AsSpan(body)))
            throw Damaged(path, "its checksum does not match its contents (it was changed or corrupted after dsl wrote it)");
        if (declared != kind)
            throw new InvalidDataException($"{path}: it holds a {declared}, not a {kind}{(SameFamily(declared, kind) ? " (another version of dsl wrote it)" : "")}");
        return bytes[(int)start..body];
    }

    private static bool SameFamily(string a, string b) => a.TrimEnd("0123456789".ToCharArray()) == b.TrimEnd("0123456789".ToCharArray());

    private static InvalidDataException Damaged(string path, string why) => new($"{path}: the file is damaged: {why}; delete it (or restore a good copy)");
}
