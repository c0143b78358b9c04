namespace Dsl.Runtime.Data;

/// <summary>
/// A sparse cells x genes matrix in compressed sparse row form (one row per cell, the layout minibatches read),
/// with cell and gene names and per-cell metadata columns. Values are doubles so real-valued data (FPKM) fits too;
/// <see cref="IsInteger"/> says whether every value is a whole number.
/// </summary>
public sealed class CountMatrix
{
    public CountMatrix(int cells, int genes, int[] rowStarts, int[] columns, double[] values,
        IReadOnlyList<string> cellNames, IReadOnlyList<string> geneNames, CellMetadata? metadata = null,
        bool cellNamesGiven = true, bool geneNamesGiven = true)
    {
        if (rowStarts.Length != cells + 1) throw new ArgumentException("rowStarts must have cells + 1 entries", nameof(rowStarts));
        if (columns.Length != values.Length || rowStarts[cells] != values.Length) throw new ArgumentException("columns and values must hold rowStarts[cells] entries");
        if (cellNames.Count != cells || geneNames.Count != genes) throw new ArgumentException("one name per cell and per gene is required");
        Cells = cells;
        Genes = genes;
        RowStarts = rowStarts;
        Columns = columns;
        Values = values;
        CellNames = cellNames;
        GeneNames = geneNames;
        Metadata = metadata ?? new CellMetadata(cells);
        CellNamesGiven = cellNamesGiven;
        GeneNamesGiven = geneNamesGiven;
    }

    public int Cells { get; }
    public int Genes { get; }
    public int[] RowStarts { get; }
    public int[] Columns { get; }
    public double[] Values { get; }
    public IReadOnlyList<string> CellNames { get; }
    public IReadOnlyList<string> GeneNames { get; }
    public CellMetadata Metadata { get; }

    /// <summary>
    /// False when the file named no cells (or genes) and <see cref="CellNames"/> (<see cref="GeneNames"/>) were made
    /// up as cell1, cell2, ...: such names say only a position and must never be matched against real names.
    /// </summary>
    public bool CellNamesGiven { get; }

    public bool GeneNamesGiven { get; }

    public long NonZeros => Values.Length;

    public bool IsInteger => Values.All(v => v == Math.Floor(v));

    public ReadOnlySpan<int> RowColumns(int cell) => Columns.AsSpan(RowStarts[cell], RowStarts[cell + 1] - RowStarts[cell]);

    public ReadOnlySpan<double> RowValues(int cell) => Values.AsSpan(RowStarts[cell], RowStarts[cell + 1] - RowStarts[cell]);

    public double this[int cell, int gene]
    {
        get
        {
            var columns = RowColumns(cell);
            var at = columns.BinarySearch(gene);
            return at >= 0 ? RowValues(cell)[at] : 0;
        }
    }

    public double RowTotal(int cell)
    {
        var total = 0.0;
        foreach (var value in RowValues(cell)) total += value;
        return total;
    }

    /// <summary>Writes one cell's values into a dense buffer of length <see cref="Genes"/> (a minibatch row).</summary>
    public void Densify(int cell, Span<double> destination)
    {
        destination.Clear();
        var columns = RowColumns(cell);
        var values = RowValues(cell);
        for (var k = 0; k < columns.Length; k++) destination[columns[k]] = values[k];
    }

    /// <summary>The rows of these cells, in this order, with their names (metadata is not carried over).</summary>
    public CountMatrix SelectCells(IReadOnlyList<int> cells)
    {
        var starts = new int[cells.Count + 1];
        for (var r = 0; r < cells.Count; r++) starts[r + 1] = starts[r] + RowStarts[cells[r] + 1] - RowStarts[cells[r]];
        var columns = new int[starts[^1]];
        var values = new double[starts[^1]];
        for (var r = 0; r < cells.Count; r++)
        {
            RowColumns(cells[r]).CopyTo(columns.AsSpan(starts[r]));
            RowValues(cells[r]).CopyTo(values.AsSpan(starts[r]));
        }
        return new CountMatrix(cells.Count, Genes, starts, columns, values, cells.Select(c => CellNames[c]).ToArray(), GeneNames,
            cellNamesGiven: CellNamesGiven, geneNamesGiven: GeneNamesGiven);
    }

    public CountMatrix WithMetadata(CellMetadata metadata) =>
        new(Cells, Genes, RowStarts, Columns, Values, CellNames, GeneNames, metadata, CellNamesGiven, GeneNamesGiven);

    /// <summary>The same matrix, marking which of its name lists were made up rather than read.</summary>
    public CountMatrix WithNamesGiven(bool cells, bool genes) =>
        new(Cells, Genes, RowStarts, Columns, Values, CellNames, GeneNames, Metadata, cells, genes);

    /// <summary>Builds a matrix from (cell, gene, value) triplets in any order; zeros are dropped, duplicates rejected.</summary>
    public static CountMatrix FromTriplets(int cells, int genes, IReadOnlyList<(int Cell, int Gene, double Value)> entries,
        IReadOnlyList<string> cellNames, IReadOnlyList<string> geneNames)
    {
        var builder = new CsrBuilder(cells, genes, entries.Count);
        foreach (var (cell, gene, value) in entries) builder.Add(cell, gene, value);
        return builder.Build(cellNames, geneNames);
    }

    /// <summary>Builds a matrix from dense rows (cells x genes).</summary>
    public static CountMatrix FromDense(double[,] dense, IReadOnlyList<string> cellNames, IReadOnlyList<string> geneNames)
    {
        var builder = new CsrBuilder(dense.GetLength(0), dense.GetLength(1));
        for (var c = 0; c < dense.GetLength(0); c++)
            for (var g = 0; g < dense.GetLength(1); g++) builder.Add(c, g, dense[c, g]);
        return builder.Build(cellNames, geneNames);
    }
}
