using System.Globalization;
using Dsl.Runtime.Data;

namespace Dsl.Runtime.Models;

/// <summary>
/// One node's values from a file of its own (<c>--data NODE=FILE</c>), with the names the file gives its rows and
/// columns so they are matched to the plates' names (<see cref="PlateLabels"/>):
/// <list type="bullet">
/// <item>a node over two plates: a matrix file (CSV/TSV, Matrix Market, a 10x folder, an AnnData .h5ad), its rows as
/// the file writes them (a 10x matrix's genes, a CSV's lines, an .h5ad's cells) over the node's first plate unless the
/// binding says otherwise (<c>NODE[Cell,Gene]=FILE</c>: the rows are plate Cell);</item>
/// <item>a node over one plate: a table with a header, the first column naming the entries and the value column
/// chosen by <c>FILE:COLUMN</c> (or the only other column); a plate-index node may hold names (cell types), matched
/// to its plate's names.</item>
/// </list>
/// </summary>
public static class NodeFileReader
{
    /// <param name="rowsPlate">the plate of the file's rows, where the binding names it</param>
    public static NodeValues Read(NodeDescriptor node, string path, string? column, string? rowsPlate)
    {
        return node.Plates.Count switch
        {
            2 => ReadMatrix(node, path, column, rowsPlate),
            1 => ReadColumn(node, path, column, rowsPlate),
            _ => throw new DataFormatException(path, null, $"{node.Signature} spans {node.Plates.Count} plates; only nodes over one or two plates are read from files of their own",
                $"give '{node.Name}' in a JSON data file (--data data.json)"),
        };
    }

    private static NodeValues ReadMatrix(NodeDescriptor node, string path, string? column, string? rowsPlate)
    {
        if (column is not null) throw new DataFormatException(path, null, $"a column ({column}) is chosen, but {node.Signature} spans two plates and reads the whole matrix", "leave out ':COLUMN'");
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        // As the file writes it: 10x and Matrix Market put genes in rows, text tables and AnnData cells.
        var rowsAreGenes = Directory.Exists(path) || name.EndsWith(".mtx", StringComparison.OrdinalIgnoreCase);
        var matrix = MatrixLoader.Load(path, new ReadOptions { Orientation = rowsAreGenes ? Orientation.GenesByCells : Orientation.CellsByGenes });
        var (rows, columns) = rowsAreGenes ? (matrix.Genes, matrix.Cells) : (matrix.Cells, matrix.Genes);
        var values = new double[(long)rows * columns];
        var dense = new double[matrix.Genes];
        for (var c = 0; c < matrix.Cells; c++)
        {
            matrix.Densify(c, dense);
            for (var g = 0; g < matrix.Genes; g++) values[rowsAreGenes ? (long)g * columns + c : (long)c * columns + g] = dense[g];
        }
        var cellNames = matrix.CellNamesGiven ? matrix.CellNames : null;
        var geneNames = matrix.GeneNamesGiven ? matrix.GeneNames : null;
        var labels = rowsAreGenes ? new[] { geneNames, cellNames } : new[] { cellNames, geneNames };
        var result = new NodeValues(node.Name, [rows, columns], values) { Source = path, Labels = labels };
        if (rowsPlate is not null && rowsPlate != node.Plates[0] && rowsPlate != node.Plates[1])
            throw new DataFormatException(path, null, $"the binding puts plate {rowsPlate} in the rows, but {node.Signature} has no such plate", $"name one of {string.Join(", ", node.Plates)}");
        var transposed = rowsPlate == node.Plates[1];
        // Only formats whose axes mean cells and genes say so; a text table's rows and columns are just rows and columns.
        var countFormat = rowsAreGenes || name.EndsWith(".h5ad", StringComparison.OrdinalIgnoreCase) || Data.AnnData.AnnDataReader.IsHdf5(path);
        if (countFormat && matrix.CellNamesGiven && matrix.GeneNamesGiven) result = result with { Binding = Binding(node, path, matrix, rowsAreGenes != transposed, rowsPlate is not null) };
        return transposed ? Transpose(result) : result;
    }

    /// <summary>"x(Cell, Gene) from FILE: its 230 genes over plate Cell, its 80 cells over plate Gene (...)".</summary>
    private static string Binding(NodeDescriptor node, string path, CountMatrix matrix, bool genesFirst, bool named)
    {
        var (first, second) = genesFirst ? ($"{matrix.Genes} genes", $"{matrix.Cells} cells") : ($"{matrix.Cells} cells", $"{matrix.Genes} genes");
        var how = named ? "as the binding names them" : $"the file's rows over the first plate; {node.Name}[{node.Plates[1]},{node.Plates[0]}]={path} binds them the other way";
        return $"{node.Signature} from {path}: its {first} over plate {node.Plates[0]}, its {second} over plate {node.Plates[1]} ({how})";
    }

    private static NodeValues Transpose(NodeValues values)
    {
        var (rows, columns) = (values.Shape[0], values.Shape[1]);
        var transposed = new double[values.Values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                transposed[(long)c * rows + r] = values.Values[(long)r * columns + c];
        return values with { Shape = [columns, rows], Values = transposed, Labels = [values.Labels![1], values.Labels[0]] };
    }

    private static NodeValues ReadColumn(NodeDescriptor node, string path, string? column, string? rowsPlate)
    {
        if (rowsPlate is not null && rowsPlate != node.Plates[0])
            throw new DataFormatException(path, null, $"the binding puts plate {rowsPlate} in the rows, but {node.Signature} spans plate {node.Plates[0]}", $"name plate {node.Plates[0]} or leave the brackets out");
        if (!File.Exists(path)) throw new DataFormatException(path, null, "file not found", $"pass a table with a header, the first column naming each {node.Plates[0]} entry");
        var lines = TextSource.Lines(path).Where(l => l.Text.Trim().Length > 0).ToList();
        if (lines.Count < 2) throw new DataFormatException(path, null, "the file has no rows below a header", $"write a header, then one row per {node.Plates[0]} entry: its name and its value");
        var delimiter = DelimitedLine.DelimiterFor(path, lines[0].Text, lines[0].Line);
        var header = DelimitedLine.Split(lines[0].Text, delimiter).Select(h => h.Trim()).ToList();
        var index = column is not null ? header.IndexOf(column, 1)
            : header.Count == 2 ? 1
            : throw new DataFormatException(path, lines[0].Line, $"the table has {header.Count - 1} value columns ({string.Join(", ", header.Skip(1))})", $"choose one: --data {node.Name}={path}:COLUMN");
        if (index < 1)
        {
            var closest = ClosestName.Find(column!, header.Skip(1));
            throw new DataFormatException(path, lines[0].Line, $"no column '{column}'{(closest is null ? "" : $"; did you mean '{closest}'?")}", $"choose one of {string.Join(", ", header.Skip(1))}");
        }
        var names = new List<string>();
        var fields = new List<string>();
        foreach (var (line, text) in lines.Skip(1))
        {
            var row = DelimitedLine.Split(text, delimiter);
            if (row.Count != header.Count)
                throw new DataFormatException(path, line, $"the row has {row.Count} fields but the header has {header.Count}", "every row needs one value per header column");
            names.Add(row[0].Trim());
            fields.Add(row[index].Trim());
        }
        var numbers = fields.Select(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (double?)v : null).ToList();
        var result = new NodeValues(node.Name, [names.Count], []) { Source = path, Labels = [names] };
        if (numbers.All(n => n is not null)) return result with { Values = numbers.Select(n => n!.Value).ToArray() };
        if (node.Support != ValueSupport.PlateIndex)
        {
            var row = numbers.FindIndex(n => n is null);
            throw new DataFormatException(path, lines[row + 1].Line, $"'{fields[row]}' in column {header[index]} is not a number, and {node.Signature} holds numbers", "give numbers in that column");
        }
        var distinct = fields.Distinct().ToList();
        var position = distinct.Select((t, n) => (t, n)).ToDictionary(p => p.t, p => p.n + 1.0, StringComparer.Ordinal);
        return result with { Values = fields.Select(f => position[f]).ToArray(), ValueLabels = distinct };
    }
}
