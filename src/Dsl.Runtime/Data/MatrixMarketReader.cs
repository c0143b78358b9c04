namespace Dsl.Runtime.Data;

/// <summary>The shape a Matrix Market size line declares: rows, columns and the number of entries that follow.</summary>
public readonly record struct MatrixMarketShape(int Rows, int Columns, long Entries);

/// <summary>
/// Reads Matrix Market <c>coordinate</c> files (integer, real or pattern; general), plain or gzip, straight into a
/// <see cref="CountMatrix"/>: entries go into their compressed rows as they are parsed (no triplet list), so reading
/// holds little more than the matrix itself.
/// </summary>
public static class MatrixMarketReader
{
    /// <param name="layout">
    /// told the size line's shape before any entry is read; says whether the file's rows are genes (10x's layout) or
    /// cells, and names them, and throws a <see cref="DataFormatException"/> for a shape that fits neither
    /// </param>
    public static CountMatrix Read(string path, bool requireCounts,
        Func<MatrixMarketShape, (bool RowsAreGenes, IReadOnlyList<string> Cells, IReadOnlyList<string> Genes)> layout)
    {
        var lines = TextSource.Lines(path).GetEnumerator();
        if (!lines.MoveNext())
            throw new DataFormatException(path, null, "the file is empty", "a Matrix Market file starts with '%%MatrixMarket matrix coordinate integer general'");
        var (field, pattern) = ReadBanner(path, lines.Current.Text);
        var shape = ReadSize(path, lines, pattern);
        var (genesAsRows, cellNames, geneNames) = layout(shape);
        // The size line is a claim, not a measurement: reserve at most what a plain file of this length could hold
        // (gzip files are not measured), and let the builder grow as entries actually arrive.
        var reserve = Math.Min(shape.Entries, InitialReservation);
        var builder = genesAsRows
            ? new CsrBuilder(shape.Columns, shape.Rows, reserve)
            : new CsrBuilder(shape.Rows, shape.Columns, reserve);
        long read = 0;
        while (lines.MoveNext())
        {
            var (line, text) = lines.Current;
            if (text.Length == 0 || text[0] == '%') continue;
            if (read == shape.Entries)
                throw new DataFormatException(path, line, $"the size line declares {shape.Entries} entries but more follow", "fix the entry count on the size line or remove the extra lines");
            var rest = text.AsSpan();
            var rowField = NextField(ref rest);
            var columnField = NextField(ref rest);
            var valueField = pattern ? default : NextField(ref rest);
            if (columnField.IsEmpty || (!pattern && valueField.IsEmpty) || !rest.Trim().IsEmpty)
                throw new DataFormatException(path, line, $"an entry has {text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length} fields",
                    $"each entry line of a {field} file is 'row column{(pattern ? "" : " value")}'");
            var row = Index(rowField, shape.Rows, "row", path, line);
            var column = Index(columnField, shape.Columns, "column", path, line);
            var value = pattern ? 1.0 : ValueParser.Parse(valueField, path, line, $"the value at ({row + 1}, {column + 1})", requireCounts);
            if (genesAsRows) builder.Add(column, row, value);
            else builder.Add(row, column, value);
            read++;
        }
        if (read != shape.Entries)
            throw new DataFormatException(path, null, $"the size line declares {shape.Entries} entries but the file holds {read}", "the file is probably truncated; re-export it");
        try
        {
            return builder.Build(cellNames, geneNames);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(path, null, e.Message, "each (row, column) may appear once; sum or remove duplicates");
        }
    }

    /// <summary>Entries reserved before any is read (16 M: 192 MB); larger matrices grow by doubling.</summary>
    private const long InitialReservation = 1L << 24;

    private static MatrixMarketShape ReadSize(string path, IEnumerator<(long Line, string Text)> lines, bool pattern)
    {
        while (lines.MoveNext())
        {
            var (line, text) = lines.Current;
            if (text.StartsWith('%') || text.Trim().Length == 0) continue;
            var size = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (size.Length != 3 || !int.TryParse(size[0], out var rows) || !int.TryParse(size[1], out var columns) || !long.TryParse(size[2], out var declared)
                || rows < 0 || columns < 0 || declared < 0)
                throw new DataFormatException(path, line, $"the size line is '{text.Trim()}'", "it must be three non-negative integers: rows columns entries");
            if (declared > (long)rows * columns)
                throw new DataFormatException(path, line, $"the size line declares {declared} entries, more than the {rows} x {columns} matrix has places",
                    "fix the entry count on the size line (each place holds at most one entry)");
            // Every entry line is at least "r c v\n" (6 bytes; "r c\n", 4, for pattern files).
            var smallest = pattern ? 4 : 6;
            if (!TextSource.IsGzip(path) && new FileInfo(path).Length is var length && declared > length / smallest)
                throw new DataFormatException(path, line, $"the size line declares {declared} entries, but the file's {length} bytes hold at most {length / smallest}",
                    "the file is truncated or the size line is wrong; re-export the matrix");
            return new MatrixMarketShape(rows, columns, declared);
        }
        throw new DataFormatException(path, 2, "the size line 'rows columns entries' is missing", "add it after the header, e.g. '230 80 4456'");
    }

    /// <summary>The next whitespace-separated field of <paramref name="rest"/> (empty at the end), advancing past it.</summary>
    private static ReadOnlySpan<char> NextField(ref ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart();
        var end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end])) end++;
        var field = rest[..end];
        rest = rest[end..];
        return field;
    }

    private static (string Field, bool Pattern) ReadBanner(string path, string banner)
    {
        var parts = banner.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 5 || !parts[0].Equals("%%MatrixMarket", StringComparison.OrdinalIgnoreCase) || !parts[1].Equals("matrix", StringComparison.OrdinalIgnoreCase))
            throw new DataFormatException(path, 1, $"the header is '{Shorten(banner)}', not a Matrix Market banner", "the first line must be '%%MatrixMarket matrix coordinate integer general' (or real)");
        if (!parts[2].Equals("coordinate", StringComparison.OrdinalIgnoreCase))
            throw new DataFormatException(path, 1, $"the matrix is stored as '{parts[2]}'", "only sparse 'coordinate' files are read; write dense data as CSV instead");
        var field = parts[3].ToLowerInvariant();
        if (field is not ("integer" or "real" or "double" or "pattern"))
            throw new DataFormatException(path, 1, $"the value type is '{parts[3]}'", "use 'integer' or 'real' (or 'pattern')");
        if (!parts[4].Equals("general", StringComparison.OrdinalIgnoreCase))
            throw new DataFormatException(path, 1, $"the symmetry is '{parts[4]}'", "count matrices are 'general'; expand the symmetric entries and write 'general'");
        return (field, field == "pattern");
    }

    private static int Index(ReadOnlySpan<char> text, int size, string what, string path, long line)
    {
        if (!int.TryParse(text, out var index))
            throw new DataFormatException(path, line, $"the {what} index is '{Shorten(text.ToString())}'", "indices are whole numbers starting at 1");
        if (index < 1 || index > size)
            throw new DataFormatException(path, line, $"the {what} index {index} is outside 1..{size}", "indices start at 1 and must not exceed the size line");
        return index - 1;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
