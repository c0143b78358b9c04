namespace Dsl.Runtime.Data;

/// <summary>
/// Reads a 10x-style folder: <c>matrix.mtx[.gz]</c> (or <c>counts.mtx</c>), <c>barcodes.tsv[.gz]</c> (or
/// <c>cells.tsv</c>) and <c>features.tsv[.gz]</c> (or <c>genes.tsv</c>). 10x writes genes x cells; the orientation
/// is taken from the name counts when they decide it, else from the option (default genes x cells).
/// </summary>
public static class TenXReader
{
    public static CountMatrix Read(string folder, ReadOptions? options = null)
    {
        if (!Directory.Exists(folder))
            throw new DataFormatException(folder, null, "folder not found", "pass a folder holding matrix.mtx, barcodes.tsv and features.tsv");
        var matrixPath = Find(folder, "matrix.mtx", "counts.mtx")
            ?? throw new DataFormatException(folder, null, "no matrix.mtx (or matrix.mtx.gz, counts.mtx) in the folder", "pass a 10x output folder such as filtered_feature_bc_matrix");
        var cellsPath = Find(folder, "barcodes.tsv", "cells.tsv")
            ?? throw new DataFormatException(folder, null, "no barcodes.tsv (or cells.tsv) in the folder", "add the cell barcodes, one per line");
        var genesPath = Find(folder, "features.tsv", "genes.tsv")
            ?? throw new DataFormatException(folder, null, "no features.tsv (or genes.tsv) in the folder", "add the gene names, one per line");
        return Read(matrixPath, cellsPath, genesPath, options ?? new ReadOptions());
    }

    /// <summary>
    /// Exactly this Matrix Market file (never another matrix of its folder), named by the barcodes and features files
    /// beside it when the folder has them. Without them the cells and genes are numbered, and marked as unnamed so
    /// that nothing matches them against real names.
    /// </summary>
    public static CountMatrix ReadMatrixFile(string matrixPath, ReadOptions? options = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(matrixPath))!;
        return Read(matrixPath, Find(folder, "barcodes.tsv", "cells.tsv"), Find(folder, "features.tsv", "genes.tsv"), options ?? new ReadOptions());
    }

    private static CountMatrix Read(string matrixPath, string? cellsPath, string? genesPath, ReadOptions options)
    {
        var cellNames = cellsPath is null ? null : NameList.Read(cellsPath, "cell");
        var geneNames = genesPath is null ? null : NameList.Read(genesPath, "gene");
        IReadOnlyList<string>? cells = cellNames, genes = geneNames;
        var matrix = MatrixMarketReader.Read(matrixPath, options.RequireCounts, shape =>
            {
                var rowsAreGenes = RowsAreGenes(shape, cellNames?.Count, geneNames?.Count, options.Orientation, matrixPath, cellsPath, genesPath);
                var (cellCount, geneCount) = rowsAreGenes ? (shape.Columns, shape.Rows) : (shape.Rows, shape.Columns);
                cells ??= Numbered("cell", cellCount);
                genes ??= Numbered("gene", geneCount);
                return (rowsAreGenes, cells, genes);
            });
        return matrix.WithNamesGiven(cells: cellNames is not null, genes: geneNames is not null);
    }

    private static string[] Numbered(string what, int count) => Enumerable.Range(1, count).Select(i => what + i).ToArray();

    /// <summary>The orientation the names decide (or the option forces), checked against the names' counts.</summary>
    private static bool RowsAreGenes(MatrixMarketShape shape, int? cellCount, int? geneCount, Orientation orientation,
        string matrixPath, string? cellsPath, string? genesPath)
    {
        bool Fits(int? expected, int actual) => expected is null || expected == actual;
        var fitsGenesByCells = Fits(geneCount, shape.Rows) && Fits(cellCount, shape.Columns);
        var fitsCellsByGenes = Fits(cellCount, shape.Rows) && Fits(geneCount, shape.Columns);
        var genesByCells = orientation switch
        {
            Orientation.GenesByCells => true,
            Orientation.CellsByGenes => false,
            // 10x's layout wins where the names cannot tell (none, or a square matrix).
            _ when fitsGenesByCells => true,
            _ when fitsCellsByGenes => false,
            _ => throw new DataFormatException(matrixPath, 2, $"the matrix is {shape.Rows} x {shape.Columns} but the folder names {Describe(geneCount, "genes")} and {Describe(cellCount, "cells")}",
                "use the barcodes and features files written with this matrix"),
        };
        var (cells, genes) = genesByCells ? (shape.Columns, shape.Rows) : (shape.Rows, shape.Columns);
        if (!Fits(cellCount, cells))
            throw new DataFormatException(cellsPath!, null, $"it lists {cellCount} cells but the matrix has {cells}", "use the barcodes file written with this matrix");
        if (!Fits(geneCount, genes))
            throw new DataFormatException(genesPath!, null, $"it lists {geneCount} genes but the matrix has {genes}", "use the features file written with this matrix");
        return genesByCells;
    }

    private static string Describe(int? count, string what) => count is null ? $"no {what}" : $"{count} {what}";

    private static string? Find(string folder, params string[] names) =>
        names.SelectMany(n => new[] { n, n + ".gz" }).Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
}
