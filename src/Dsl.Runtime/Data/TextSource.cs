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
        using var reader = Open(path);
        long number = 0;
        while (true)
        {
            string? text;
            try
            {
                text = reader.ReadLine();
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
            {
                throw new DataFormatException(path, number + 1, $"the gzip stream is truncated or corrupt ({e.Message.TrimEnd('.')})",
                    "re-download or re-compress the file (gzip -t tests it)");
            }
            if (text is null) yield break;
            yield return (++number, text);
        }
    }

    public static bool IsGzip(string path)
    {
        using var stream = File.OpenRead(path);
        return stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
    }

    private static StreamReader Open(string path)
    {
        Stream stream = File.OpenRead(path);
        if (IsGzip(path)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }
}
