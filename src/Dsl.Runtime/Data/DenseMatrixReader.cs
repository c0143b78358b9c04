using System.Globalization;

namespace Dsl.Runtime.Data;

/// <summary>
/// Reads dense CSV/TSV matrices. With no header and no names this is the original URSM layout (one row per cell or
/// bulk sample, one column per gene). A header row and a first column of names are detected when present; the
/// orientation comes from the option, or from a header beginning 'gene' (genes x cells), else cells x genes.
/// </summary>
public static class DenseMatrixReader
{
    private static readonly string[] geneHeaders = { "gene", "genes", "gene_id", "feature", "features" };

    public static CountMatrix Read(string path, ReadOptions? options = null)
    {
        options ??= new ReadOptions();
        var lines = TextSource.Lines(path).Where(l => l.Text.Trim().Length > 0).ToList();
        if (lines.Count == 0)
            throw new DataFormatException(path, null, "the file is empty", "write one row per cell (or gene) with one value per column");
        var delimiter = DelimitedLine.DelimiterFor(path, lines[0].Text, lines[0].Line);
        var rows = lines.Select(l => DelimitedLine.Split(l.Text, delimiter)).ToList();

        var hasHeader = options.Header switch
        {
            HeaderMode.Present => true,
            HeaderMode.Absent => false,
            _ => rows[0].Skip(1).Any(f => !IsNumber(f)) || (rows.Count > 1 && rows[0].Count == rows[1].Count - 1),
        };
        var dataStart = hasHeader ? 1 : 0;
        if (dataStart >= rows.Count)
            throw new DataFormatException(path, lines[0].Line, "the file has a header but no data rows", "add the data below the header");
        var hasRowNames = rows.Skip(dataStart).Any(r => r.Count > 0 && !IsNumber(r[0]))
            || (hasHeader && rows[0].Count == rows[dataStart].Count && rows[0][0].Trim().Length == 0);
        var width = rows[dataStart].Count - (hasRowNames ? 1 : 0);
        if (width <= 0)
            throw new DataFormatException(path, lines[dataStart].Line, "the row holds no values", "each row needs a value per column");

        var genesByCells = options.Orientation switch
        {
            Orientation.GenesByCells => true,
            Orientation.CellsByGenes => false,
            _ => hasHeader && hasRowNames && geneHeaders.Contains(rows[0][0].Trim().ToLowerInvariant()),
        };
        var (rowKind, columnKind) = genesByCells ? ("gene", "cell") : ("cell", "gene");
        var columnNames = hasHeader ? HeaderNames(path, rows[0], lines[0].Line, width) : Generated(columnKind, width);
        var rowNames = new List<string>();
        var values = new double[rows.Count - dataStart, width];
        for (var r = dataStart; r < rows.Count; r++)
        {
            var fields = rows[r];
            var expected = width + (hasRowNames ? 1 : 0);
            if (fields.Count != expected)
                throw new DataFormatException(path, lines[r].Line, $"the row has {fields.Count} fields but the {(hasHeader ? "header implies" : "first row has")} {expected}",
                    "every row must have the same number of columns");
            if (hasRowNames) rowNames.Add(fields[0].Trim());
            for (var c = 0; c < width; c++)
            {
                var field = fields[c + (hasRowNames ? 1 : 0)];
                values[r - dataStart, c] = ValueParser.Parse(field, path, lines[r].Line, $"column {c + 1 + (hasRowNames ? 1 : 0)}", options.RequireCounts);
            }
        }
        if (hasRowNames) NameList.RequireUnique(rowNames, path, rowKind, i => lines[dataStart + i].Line);
        else rowNames = Generated(rowKind, values.GetLength(0));

        return genesByCells
            ? CountMatrix.FromDense(Transpose(values), columnNames, rowNames).WithNamesGiven(cells: hasHeader, genes: hasRowNames)
            : CountMatrix.FromDense(values, rowNames, columnNames).WithNamesGiven(cells: hasRowNames, genes: hasHeader);
    }

    private static List<string> HeaderNames(string path, List<string> header, long line, int width)
    {
        // A header over the value columns only, or with a leading cell for the row-name column.
        var names = (header.Count == width + 1 ? header.Skip(1) : header).Select(h => h.Trim()).ToList();
        if (names.Count != width)
            throw new DataFormatException(path, line, $"the header has {header.Count} names but the rows have {width} values",
                "give one header name per value column (plus one for the row-name column, if any)");
        NameList.RequireUnique(names, path, "column", _ => line);
        return names;
    }

    private static List<string> Generated(string what, int count) =>
        Enumerable.Range(1, count).Select(i => what + i.ToString(CultureInfo.InvariantCulture)).ToList();

    private static double[,] Transpose(double[,] values)
    {
        var result = new double[values.GetLength(1), values.GetLength(0)];
        for (var r = 0; r < values.GetLength(0); r++)
            for (var c = 0; c < values.GetLength(1); c++)
                result[c, r] = values[r, c];
        return result;
    }

    private static bool IsNumber(string field) =>
        double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _) || field.Trim().Length == 0;
}
