using System.Globalization;
using System.IO.Compression;
using System.Text;
using Dsl.Runtime.Data;

namespace Dsl.Cli;

/// <summary>
/// A named table written as CSV (header row, first column of names) row by row through a bounded buffer, so a table
/// the size of a 200,000 x 2,000 count matrix never exists as one string. Numbers are formatted in place, shortest
/// round-trip form, without a string per entry.
/// </summary>
public sealed class CsvTable : IDisposable
{
    private readonly StreamWriter writer;
    private readonly char[] number = new char[32];
    private readonly int columns;

    /// <param name="gzip">compress the stream (the file's name should then end in .gz)</param>
    public CsvTable(Stream stream, string corner, IReadOnlyList<string> columns, bool gzip = false)
    {
        var target = gzip ? new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true) : stream;
        writer = new StreamWriter(target, new UTF8Encoding(false), 1 << 16, leaveOpen: !gzip);
        this.columns = columns.Count;
        writer.Write(Quote(corner));
        foreach (var c in columns)
        {
            writer.Write(',');
            writer.Write(Quote(c));
        }
        writer.Write('\n');
    }

    public void Row(string name, ReadOnlySpan<float> values)
    {
        Begin(name, values.Length);
        foreach (var v in values) Value(v);
        writer.Write('\n');
    }

    public void Row(string name, Func<int, double> value)
    {
        writer.Write(Quote(name));
        for (var c = 0; c < columns; c++) Value(value(c));
        writer.Write('\n');
    }

    public void Dispose() => writer.Dispose();

    /// <summary>Writes a whole table to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, string corner, IReadOnlyList<string> columns, IReadOnlyList<string> rows, Func<int, int, double> value)
    {
        using var pending = AtomicFile.Open(path);
        using (var table = new CsvTable(pending.Stream, corner, columns))
            for (var r = 0; r < rows.Count; r++) table.Row(rows[r], c => value(r, c));
        pending.Commit();
    }

    public static string Quote(string name) => name.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + name.Replace("\"", "\"\"") + "\"" : name;

    public static IReadOnlyList<string> Names(string prefix, int count) => Enumerable.Range(0, count).Select(n => prefix + n).ToList();

    private void Begin(string name, int count)
    {
        if (count != columns) throw new ArgumentException($"a row of {count} values for {columns} columns");
        writer.Write(Quote(name));
    }

    private void Value(double value)
    {
        writer.Write(',');
        value.TryFormat(number, out var length, "R", CultureInfo.InvariantCulture);
        writer.Write(number, 0, length);
    }

    private void Value(float value)
    {
        writer.Write(',');
        value.TryFormat(number, out var length, "R", CultureInfo.InvariantCulture);
        writer.Write(number, 0, length);
    }
}
