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
        var file = MatrixMarketReader.Read(matrixPath, options.RequireCounts);
        var genesByCells = Decide(file, cellNames.Count, geneNames.Count, options.Orientation, matrixPath);
        var (cells, genes) = genesByCells ? (file.Columns, file.Rows) : (file.Rows, file.Columns);
        if (cells != cellNames.Count)
            throw new DataFormatException(cellsPath, null, $"it lists {cellNames.Count} cells but the matrix has {cells}", "use the barcodes file written with this matrix");
        if (genes != geneNames.Count)
            throw new DataFormatException(genesPath, null, $"it lists {geneNames.Count} genes but the matrix has {genes}", "use the features file written with this matrix");
        var entries = genesByCells
            ? file.Entries.Select(e => (e.Column, e.Row, e.Value)).ToList()
            : file.Entries.Select(e => (e.Row, e.Column, e.Value)).ToList();
        try
        {
            return CountMatrix.FromTriplets(cells, genes, entries, cellNames, geneNames);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(matrixPath, null, e.Message, "each (row, column) may appear once; sum or remove duplicates");
        }
    }

    private static bool Decide(MatrixMarketFile file, int cells, int genes, Orientation orientation, string path)
    {
        var fitsGenesByCells = file.Rows == genes && file.Columns == cells;
        var fitsCellsByGenes = file.Rows == cells && file.Columns == genes;
        return orientation switch
        {
            Orientation.GenesByCells => true,
            Orientation.CellsByGenes => false,
            _ when fitsGenesByCells => true,
            _ when fitsCellsByGenes => false,
            _ => throw new DataFormatException(path, 2, $"the matrix is {file.Rows} x {file.Columns} but the folder names {genes} genes and {cells} cells",
                "use the barcodes and features files written with this matrix"),
        };
    }

    private static string? Find(string folder, params string[] names) =>
        names.SelectMany(n => new[] { n, n + ".gz" }).Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
}
