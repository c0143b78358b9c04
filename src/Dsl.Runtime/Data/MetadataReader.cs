namespace Dsl.Runtime.Data;

/// <summary>
/// Reads a per-cell metadata CSV/TSV (header row; first column the cell name) and aligns it to a matrix's cells, so
/// the rows may come in any order. Every cell of the matrix must have a row.
/// </summary>
public static class MetadataReader
{
    /// <summary>The metadata of <paramref name="matrix"/>'s cells; refused when the matrix's cell names were made up.</summary>
    public static CellMetadata Read(string path, CountMatrix matrix)
    {
        if (!matrix.CellNamesGiven)
            throw new DataFormatException(path, null, "the count matrix names no cells (its file has no column of cell names), so these rows cannot be matched to its cells",
                "add the cell names to the counts (a first column, or barcodes.tsv beside a .mtx)");
        return Read(path, matrix.CellNames);
    }

    public static CellMetadata Read(string path, IReadOnlyList<string> cellNames)
    {
        var lines = TextSource.Lines(path).Where(l => l.Text.Trim().Length > 0).ToList();
        if (lines.Count == 0)
            throw new DataFormatException(path, null, "the file is empty", "write a header row (cell,batch,...) and one row per cell");
        var delimiter = DelimitedLine.DelimiterFor(path, lines[0].Text, lines[0].Line);
        var header = DelimitedLine.Split(lines[0].Text, delimiter).Select(h => h.Trim()).ToList();
        if (header.Count < 2)
            throw new DataFormatException(path, lines[0].Line, "the header has fewer than two columns", "the first column names the cell and the others hold its labels, e.g. 'cell,batch'");
        NameList.RequireUnique(header, path, "metadata column", _ => lines[0].Line);

        var rowOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (line, text) in lines.Skip(1))
        {
            var fields = DelimitedLine.Split(text, delimiter);
            if (fields.Count != header.Count)
                throw new DataFormatException(path, line, $"the row has {fields.Count} fields but the header has {header.Count}", "every row needs one value per header column");
            var cell = fields[0].Trim();
            if (!rowOf.TryAdd(cell, fields))
                throw new DataFormatException(path, line, $"cell '{cell}' has a second row", "give each cell one row");
        }

        var metadata = new CellMetadata(cellNames.Count);
        var missing = cellNames.FirstOrDefault(c => !rowOf.ContainsKey(c));
        if (missing is not null)
            throw new DataFormatException(path, null, $"cell '{missing}' of the count matrix has no row ({cellNames.Count(c => !rowOf.ContainsKey(c))} cells are missing)",
                "the first column must hold the matrix's cell names");
        for (var column = 1; column < header.Count; column++)
            metadata.Add(header[column], cellNames.Select(c => rowOf[c][column].Trim()).ToArray());
        return metadata;
    }
}
