using System.Globalization;
using System.IO.Compression;

namespace Dsl.Runtime.Data;

/// <summary>Writes count matrices as 10x folders (genes x cells Matrix Market) or dense CSV/TSV, atomically.</summary>
public static class MatrixWriter
{
    public static void WriteTenX(CountMatrix matrix, string folder, bool gzip = false)
    {
        Directory.CreateDirectory(folder);
        var suffix = gzip ? ".gz" : "";
        WriteLines(Path.Combine(folder, "barcodes.tsv" + suffix), gzip, matrix.CellNames);
        WriteLines(Path.Combine(folder, "features.tsv" + suffix), gzip, matrix.GeneNames);
        WriteLines(Path.Combine(folder, "matrix.mtx" + suffix), gzip, MatrixMarketLines(matrix));
    }

    /// <summary>One row per cell (or per gene with <paramref name="genesAsRows"/>), with a header and a name column.</summary>
    public static void WriteDense(CountMatrix matrix, string path, bool genesAsRows = false, char delimiter = ',')
    {
        WriteLines(path, false, DenseLines(matrix, genesAsRows, delimiter));
    }

    private static IEnumerable<string> MatrixMarketLines(CountMatrix matrix)
    {
        var integer = matrix.IsInteger;
        yield return $"%%MatrixMarket matrix coordinate {(integer ? "integer" : "real")} general";
        yield return $"{matrix.Genes} {matrix.Cells} {matrix.NonZeros}";
        for (var cell = 0; cell < matrix.Cells; cell++)
        {
            for (var k = matrix.RowStarts[cell]; k < matrix.RowStarts[cell + 1]; k++)
                yield return $"{matrix.Columns[k] + 1} {cell + 1} {Format(matrix.Values[k])}";
        }
    }

    private static IEnumerable<string> DenseLines(CountMatrix matrix, bool genesAsRows, char delimiter)
    {
        var (rowNames, columnNames) = genesAsRows ? (matrix.GeneNames, matrix.CellNames) : (matrix.CellNames, matrix.GeneNames);
        yield return string.Join(delimiter, new[] { genesAsRows ? "gene" : "cell" }.Concat(columnNames).Select(n => DelimitedLine.Quote(n, delimiter)));
        var row = new double[matrix.Genes];
        if (!genesAsRows)
        {
            for (var cell = 0; cell < matrix.Cells; cell++)
            {
                matrix.Densify(cell, row);
                yield return DelimitedLine.Quote(rowNames[cell], delimiter) + delimiter + string.Join(delimiter, row.Select(Format));
            }
            yield break;
        }
        var dense = new double[matrix.Genes, matrix.Cells];
        for (var cell = 0; cell < matrix.Cells; cell++)
        {
            matrix.Densify(cell, row);
            for (var gene = 0; gene < matrix.Genes; gene++) dense[gene, cell] = row[gene];
        }
        for (var gene = 0; gene < matrix.Genes; gene++)
            yield return DelimitedLine.Quote(rowNames[gene], delimiter) + delimiter
                + string.Join(delimiter, Enumerable.Range(0, matrix.Cells).Select(c => Format(dense[gene, c])));
    }

    /// <summary>Shortest text that reads back to the same double.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteLines(string path, bool gzip, IEnumerable<string> lines) =>
        AtomicFile.Write(path, stream =>
        {
            using var target = gzip ? new GZipStream(stream, CompressionLevel.Fastest) : stream;
            using var writer = new StreamWriter(target) { NewLine = "\n" };
            foreach (var line in lines) writer.WriteLine(line);
        });
}
