using System.Security.Cryptography;
using System.Text;

namespace Dsl.Runtime.Data;

/// <summary>
/// A binary file that proves it is whole: a versioned header naming what it holds, the payload, the payload's length
/// and a SHA-256 of everything before it. Written atomically and streamed (the payload is hashed as it is written,
/// never held in memory); read only after the length and the checksum agree, so a flipped byte, a truncated copy or
/// appended garbage is refused before any of it is believed.
/// </summary>
/// <remarks>Layout: "DSLSEAL" 0x02 | kind (7-bit length-prefixed UTF-8) | payload | payload length (int64 LE) | SHA-256.</remarks>
public static class SealedFile
{
    private static readonly byte[] Magic = "DSLSEAL\u0002"u8.ToArray();
    private const int HashLength = 32;
    private const int TrailerLength = sizeof(long) + HashLength;

    /// <param name="kind">what the file holds and its format version, e.g. "dsl-vi-checkpoint-2"</param>
    public static void Write(string path, string kind, Action<BinaryWriter> writePayload) =>
        AtomicFile.Write(path, stream =>
        {
            using var hashing = new HashingStream(stream);
            // Buffered, so the hash sees blocks rather than one call per value written; flushed, never disposed
            // (disposing it would dispose the hashing stream before the hash is taken).
            var buffered = new BufferedStream(hashing, 1 << 16);
            using (var writer = new BinaryWriter(buffered, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(kind);
                writer.Flush();
                var start = hashing.Written;
                writePayload(writer);
                writer.Flush();
                writer.Write(hashing.Written - start);
                writer.Flush();
            }
            stream.Write(hashing.Finish());
        });

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
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a {kind} file (no dsl header); give the file dsl wrote");
        if (bytes.Length < Magic.Length + 1 + TrailerLength)
            throw Damaged(path, $"it is {bytes.Length} bytes, too short to hold its header and trailer (truncated)");
        var body = bytes.Length - HashLength;
        if (!SHA256.HashData(bytes.AsSpan(0, body)).AsSpan().SequenceEqual(bytes.AsSpan(body)))
            throw Damaged(path, "its checksum does not match its contents (it was changed, cut short or added to after dsl wrote it)");
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, body, writable: false));
        reader.BaseStream.Position = Magic.Length;
        string declared;
        try
        {
            declared = reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or DecoderFallbackException)
        {
            throw Damaged(path, "its header is cut short");
        }
        var start = reader.BaseStream.Position;
        reader.BaseStream.Position = body - sizeof(long);
        var length = reader.ReadInt64();
        if (start + length != body - sizeof(long))
            throw Damaged(path, $"its trailer records {length} bytes of contents, but it holds {body - sizeof(long) - start}");
        if (declared != kind)
            throw new InvalidDataException($"{path}: it holds a {declared}, not a {kind}{(SameFamily(declared, kind) ? " (another version of dsl wrote it)" : "")}");
        return bytes[(int)start..(int)(start + length)];
    }

    private static bool SameFamily(string a, string b) => a.TrimEnd("0123456789".ToCharArray()) == b.TrimEnd("0123456789".ToCharArray());

    private static InvalidDataException Damaged(string path, string why) => new($"{path}: the file is damaged: {why}; delete it (or restore a good copy)");

    /// <summary>Forwards writes to the file while hashing them and counting their bytes.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Written { get; private set; }

        public byte[] Finish() => hash.GetHashAndReset();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
            Written += buffer.Length;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written;
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
