namespace Dsl.Runtime.Data;

/// <summary>A Matrix Market coordinate file as read: its shape and its 0-based (row, column, value) entries.</summary>
public sealed record MatrixMarketFile(int Rows, int Columns, IReadOnlyList<(int Row, int Column, double Value)> Entries, bool IsInteger);

/// <summary>Reads Matrix Market <c>coordinate</c> files (integer, real or pattern; general), plain or gzip.</summary>
public static class MatrixMarketReader
{
    public static MatrixMarketFile Read(string path, bool requireCounts)
    {
        var lines = TextSource.Lines(path).GetEnumerator();
        if (!lines.MoveNext())
            throw new DataFormatException(path, null, "the file is empty", "a Matrix Market file starts with '%%MatrixMarket matrix coordinate integer general'");
        var (field, pattern) = ReadBanner(path, lines.Current.Text);

        long sizeLine = 0;
        string? sizeText = null;
        while (lines.MoveNext())
        {
            if (lines.Current.Text.StartsWith('%') || lines.Current.Text.Trim().Length == 0) continue;
            (sizeLine, sizeText) = lines.Current;
            break;
        }
        if (sizeText is null)
            throw new DataFormatException(path, 2, "the size line 'rows columns entries' is missing", "add it after the header, e.g. '230 80 4456'");
        var size = sizeText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (size.Length != 3 || !int.TryParse(size[0], out var rows) || !int.TryParse(size[1], out var columns) || !long.TryParse(size[2], out var declared)
            || rows < 0 || columns < 0 || declared < 0)
            throw new DataFormatException(path, sizeLine, $"the size line is '{sizeText.Trim()}'", "it must be three non-negative integers: rows columns entries");

        var entries = new List<(int, int, double)>((int)Math.Min(declared, 50_000_000));
        var isInteger = true;
        while (lines.MoveNext())
        {
            var (line, text) = lines.Current;
            if (text.Length == 0 || text.StartsWith('%')) continue;
            if (entries.Count == declared)
                throw new DataFormatException(path, line, $"the size line declares {declared} entries but more follow", "fix the entry count on the size line or remove the extra lines");
            var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var expected = pattern ? 2 : 3;
            if (parts.Length != expected)
                throw new DataFormatException(path, line, $"an entry has {parts.Length} fields", $"each entry line of a {field} file is 'row column{(pattern ? "" : " value")}'");
            var row = Index(parts[0], rows, "row", path, line);
            var column = Index(parts[1], columns, "column", path, line);
            var value = pattern ? 1.0 : ValueParser.Parse(parts[2], path, line, $"the value at ({row + 1}, {column + 1})", requireCounts);
            if (value != Math.Floor(value)) isInteger = false;
            entries.Add((row, column, value));
        }
        if (entries.Count != declared)
            throw new DataFormatException(path, null, $"the size line declares {declared} entries but the file holds {entries.Count}", "the file is probably truncated; re-export it");
        return new MatrixMarketFile(rows, columns, entries, isInteger);
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

    private static int Index(string text, int size, string what, string path, long line)
    {
        if (!int.TryParse(text, out var index))
            throw new DataFormatException(path, line, $"the {what} index is '{Shorten(text)}'", "indices are whole numbers starting at 1");
        if (index < 1 || index > size)
            throw new DataFormatException(path, line, $"the {what} index {index} is outside 1..{size}", "indices start at 1 and must not exceed the size line");
        return index - 1;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
