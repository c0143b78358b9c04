using Dsl.Models.Scvi;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Scvi;

/// <summary>
/// Reads `dsl fit scvi`'s counts (10x folder, CSV/TSV, Matrix Market; raw integer counts) and the batch column of its
/// metadata. What the model itself requires (no empty cell) is checked by <see cref="ScviFitter.Prepare"/>.
/// </summary>
public static class ScviInputReader
{
    public static ScviInputs Read(string countsPath, string? metadataPath, string? batchKey)
    {
        var counts = CountFile.Load(countsPath);
        if (batchKey is null)
            return new ScviInputs(counts, new int[counts.Cells], ["all"]);
        if (metadataPath is null) throw new CliException("--batch-key needs --metadata, the file holding that column");
        var metadata = MetadataReader.Read(metadataPath, counts.CellNames);
        if (!metadata.Has(batchKey))
            throw new CliException($"{metadataPath}: there is no column '{batchKey}'; its columns are {string.Join(", ", metadata.ColumnNames)}");
        var (codes, levels) = metadata.Categorical(batchKey);
        return new ScviInputs(counts, codes, levels);
    }
}
