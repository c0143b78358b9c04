namespace Dsl.Runtime.Data;

/// <summary>
/// Collects (cell, gene, value) entries into a <see cref="CountMatrix"/>'s compressed rows without a triplet list.
/// While entries arrive grouped by cell in increasing order (10x's genes x cells files, this tool's writer, a simulation
/// drawing cell after cell) they are stored straight in their final place, so reading a matrix holds nothing but the
/// matrix; the first entry out of that order starts recording each entry's cell, and <see cref="Build"/> then moves the
/// entries into place by a counting sort. Zeros are dropped; an entry given twice is an error.
/// </summary>
public sealed class CsrBuilder
{
    private readonly int cells;
    private readonly int genes;
    private readonly int[] rowStarts;
    private int[] columns;
    private double[] values;
    private int[]? cellOf;
    private int count;
    private int lastCell;
    private bool built;

    /// <param name="capacity">the number of entries expected (a Matrix Market size line); more grow the arrays</param>
    public CsrBuilder(int cells, int genes, long capacity = 0)
    {
        this.cells = cells;
        this.genes = genes;
        rowStarts = new int[cells + 1];
        var initial = (int)Math.Clamp(capacity, 16, Array.MaxLength);
        columns = new int[initial];
        values = new double[initial];
    }

    public void Add(int cell, int gene, double value)
    {
        if ((uint)cell >= (uint)cells) throw new ArgumentOutOfRangeException(nameof(cell), $"cell {cell} is outside 0..{cells - 1}");
        if ((uint)gene >= (uint)genes) throw new ArgumentOutOfRangeException(nameof(gene), $"gene {gene} is outside 0..{genes - 1}");
        if (built) throw new InvalidOperationException("the matrix was already built");
        if (value == 0) return;
        if (count == columns.Length) Grow();
        if (cellOf is null && cell < lastCell) cellOf = CellsSoFar();
        if (cellOf is not null) cellOf[count] = cell;
        columns[count] = gene;
        values[count] = value;
        rowStarts[cell + 1]++;
        lastCell = cell;
        count++;
    }

    /// <summary>The matrix, each row sorted by gene. Throws <see cref="ArgumentException"/> naming an entry given twice.</summary>
    public CountMatrix Build(IReadOnlyList<string> cellNames, IReadOnlyList<string> geneNames)
    {
        if (built) throw new InvalidOperationException("the matrix was already built");
        built = true;
        for (var c = 0; c < cells; c++) rowStarts[c + 1] += rowStarts[c];
        if (cellOf is not null) MoveIntoRows(cellOf);
        else if (count < columns.Length)
        {
            Array.Resize(ref columns, count);
            Array.Resize(ref values, count);
        }
        for (var c = 0; c < cells; c++)
        {
            int start = rowStarts[c], end = rowStarts[c + 1];
            if (!IsSorted(start, end)) Array.Sort(columns, values, start, end - start);
            for (var k = start + 1; k < end; k++)
                if (columns[k] == columns[k - 1])
                    throw new ArgumentException($"entry ({cellNames[c]}, {geneNames[columns[k]]}) appears twice");
        }
        return new CountMatrix(cells, genes, rowStarts, columns, values, cellNames, geneNames);
    }

    private bool IsSorted(int start, int end)
    {
        for (var k = start + 1; k < end; k++)
            if (columns[k] < columns[k - 1]) return false;
        return true;
    }

    /// <summary>Entries so far were in cell order: their cells follow from the row counts.</summary>
    private int[] CellsSoFar()
    {
        var recorded = new int[columns.Length];
        for (int c = 0, k = 0; c < cells; c++)
            for (var n = 0; n < rowStarts[c + 1]; n++) recorded[k++] = c;
        return recorded;
    }

    private void MoveIntoRows(int[] cellOfEntry)
    {
        var next = rowStarts[..cells];
        var sortedColumns = new int[count];
        var sortedValues = new double[count];
        for (var k = 0; k < count; k++)
        {
            var at = next[cellOfEntry[k]]++;
            sortedColumns[at] = columns[k];
            sortedValues[at] = values[k];
        }
        columns = sortedColumns;
        values = sortedValues;
        cellOf = null;
    }

    private void Grow()
    {
        var length = (int)Math.Min(2L * columns.Length, Array.MaxLength);
        if (length == columns.Length) throw new InvalidOperationException($"a matrix of more than {Array.MaxLength} entries is not supported");
        Array.Resize(ref columns, length);
        Array.Resize(ref values, length);
        if (cellOf is not null) Array.Resize(ref cellOf, length);
    }
}
