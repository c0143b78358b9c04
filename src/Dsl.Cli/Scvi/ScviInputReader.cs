using Dsl.Models.Scvi;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Scvi;

/// <summary>Reads `dsl fit scvi`'s counts (10x folder, CSV/TSV, Matrix Market) and the batch column of its metadata.</summary>
public static class ScviInputReader
{
    public static ScviInputs Read(string countsPath, string? metadataPath, string? batchKey)
    {
        var counts = MatrixLoader.Load(countsPath);
        if (!counts.IsInteger)
        {
            var (cell, gene) = FirstNonInteger(counts);
            throw new CliException($"{countsPath}: cell '{counts.CellNames[cell]}', gene '{counts.GeneNames[gene]}' holds {counts[cell, gene]}, not a whole count; scVI models raw counts, not normalised values");
        }
        for (var c = 0; c < counts.Cells; c++)
            if (counts.RowTotal(c) <= 0)
                throw new CliException($"{countsPath}: cell '{counts.CellNames[c]}' (row {c + 1}) has no counts; remove empty cells before fitting");
        if (batchKey is null)
            return new ScviInputs(counts, new int[counts.Cells], ["all"]);
        if (metadataPath is null) throw new CliException("--batch-key needs --metadata, the file holding that column");
        var metadata = MetadataReader.Read(metadataPath, counts.CellNames);
        if (!metadata.Has(batchKey))
            throw new CliException($"{metadataPath}: there is no column '{batchKey}'; its columns are {string.Join(", ", metadata.ColumnNames)}");
        var (codes, levels) = metadata.Categorical(batchKey);
        return new ScviInputs(counts, codes, levels);
    }

    private static (int Cell, int Gene) FirstNonInteger(CountMatrix counts)
    {
        for (var c = 0; c < counts.Cells; c++)
        {
            var columns = counts.RowColumns(c);
            var values = counts.RowValues(c);
            for (var i = 0; i < values.Length; i++)
                if (values[i] != Math.Floor(values[i])) return (c, columns[i]);
        }
        return (0, 0);
    }
}
