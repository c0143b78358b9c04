using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Dsl.Runtime.Data;

/// <summary>
/// Reads a text file line by line, plain or gzip (by its magic bytes, whatever its name), and turns I/O and gzip
/// failures into one-line <see cref="DataFormatException"/>s naming the file.
/// </summary>
public static class TextSource
{
    public static IEnumerable<(long Line, string Text)> Lines(string path)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, null, "file not found", "check the path");
        var gzip = IsGzip(path);
        using var file = File.OpenRead(path);
        using var counter = new CountingStream(gzip ? new GZipStream(file, CompressionMode.Decompress) : file);
        using var reader = new StreamReader(counter, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        // Each line is handed on only once the next one has been read, so for gzip the last line waits for the
        // trailer check: a file cut off mid-line then reads as truncated, not as a malformed last entry or name.
        long number = 0;
        string? held = null;
        while (true)
        {
            string? text;
            try
            {
                text = reader.ReadLine();
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
            {
                throw Corrupt(path, number + 1, e.Message.TrimEnd('.'));
            }
            if (text is null) break;
            if (text.Contains('\0'))
                throw new DataFormatException(path, number + 1, "the line holds a NUL byte: this is a binary file, not text", "give a CSV/TSV text file, a .mtx file or a 10x folder");
            if (held is not null) yield return (number, held);
            held = text;
            number++;
        }
        if (gzip && TrailerLength(path) != (uint)counter.BytesRead)
            throw Corrupt(path, number, $"it ends after {counter.BytesRead} bytes, short of the {TrailerLength(path)} its trailer records");
        if (held is not null) yield return (number, held);
    }

    public static bool IsGzip(string path)
    {
        using var stream = File.OpenRead(path);
        return stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
    }

    /// <summary>
    /// The uncompressed size (mod 2^32) a gzip file's last 4 bytes record. .NET's GZipStream stops quietly at a
    /// truncated file, so this trailer is how truncation is noticed. (For a file of several concatenated gzip members
    /// it holds only the last member's size; such files are not written by 10x or by this tool.)
    /// </summary>
    private static uint TrailerLength(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length < 18) return uint.MaxValue;
        Span<byte> trailer = stackalloc byte[4];
        stream.Seek(-4, SeekOrigin.End);
        stream.ReadExactly(trailer);
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    private static DataFormatException Corrupt(string path, long line, string detail) =>
        new(path, line, $"the gzip stream is truncated or corrupt ({detail})", "re-download or re-compress the file (gzip -t tests it)");

    /// <summary>Counts the bytes read through it: the decompressed length, for the trailer check.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            BytesRead += read;
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
