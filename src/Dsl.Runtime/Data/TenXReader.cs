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
        options ??= new ReadOptions();
        if (!Directory.Exists(folder))
            throw new DataFormatException(folder, null, "folder not found", "pass a folder holding matrix.mtx, barcodes.tsv and features.tsv");
        var matrixPath = Find(folder, "matrix.mtx", "counts.mtx")
            ?? throw new DataFormatException(folder, null, "no matrix.mtx (or matrix.mtx.gz, counts.mtx) in the folder", "pass a 10x output folder such as filtered_feature_bc_matrix");
        var cellsPath = Find(folder, "barcodes.tsv", "cells.tsv")
            ?? throw new DataFormatException(folder, null, "no barcodes.tsv (or cells.tsv) in the folder", "add the cell barcodes, one per line");
        var genesPath = Find(folder, "features.tsv", "genes.tsv")
            ?? throw new DataFormatException(folder, null, "no features.tsv (or genes.tsv) in the folder", "add the gene names, one per line");

        var cellNames = NameList.Read(cellsPath, "cell");
        var geneNames = NameList.Read(genesPath, "gene");
        return MatrixMarketReader.Read(matrixPath, options.RequireCounts,
            shape => RowsAreGenes(shape, cellNames.Count, geneNames.Count, options.Orientation, matrixPath, cellsPath, genesPath),
            cellNames, geneNames);
    }

    /// <summary>The orientation the names decide (or the option forces), checked against the names' counts.</summary>
    private static bool RowsAreGenes(MatrixMarketShape shape, int cellCount, int geneCount, Orientation orientation,
        string matrixPath, string cellsPath, string genesPath)
    {
        var fitsGenesByCells = shape.Rows == geneCount && shape.Columns == cellCount;
        var fitsCellsByGenes = shape.Rows == cellCount && shape.Columns == geneCount;
        var genesByCells = orientation switch
        {
            Orientation.GenesByCells => true,
            Orientation.CellsByGenes => false,
            _ when fitsGenesByCells => true,
            _ when fitsCellsByGenes => false,
            _ => throw new DataFormatException(matrixPath, 2, $"the matrix is {shape.Rows} x {shape.Columns} but the folder names {geneCount} genes and {cellCount} cells",
                "use the barcodes and features files written with this matrix"),
        };
        var (cells, genes) = genesByCells ? (shape.Columns, shape.Rows) : (shape.Rows, shape.Columns);
        if (cells != cellCount)
            throw new DataFormatException(cellsPath, null, $"it lists {cellCount} cells but the matrix has {cells}", "use the barcodes file written with this matrix");
        if (genes != geneCount)
            throw new DataFormatException(genesPath, null, $"it lists {geneCount} genes but the matrix has {genes}", "use the features file written with this matrix");
        return genesByCells;
    }

    private static string? Find(string folder, params string[] names) =>
        names.SelectMany(n => new[] { n, n + ".gz" }).Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
}
