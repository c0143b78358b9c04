using Dsl.Analysis.Scvi;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Scvi;

/// <summary>
/// Reads scVI's counts (10x folder, CSV/TSV, Matrix Market; raw integer counts) and the batch column of its metadata,
/// for a new fit or for a saved model. What the model itself requires (no empty cell) is checked by <see cref="ScviFitter.Prepare"/>.
/// </summary>
public static class ScviInputReader
{
    public static ScviInputs Read(string countsPath, string? metadataPath, string? batchKey, string? layer = null)
    {
        var counts = CountFile.Load(countsPath, layer);
        // The user's metadata travels with the counts (an --out-h5ad writes it as obs).
        if (metadataPath is not null) counts = counts.WithMetadata(MetadataReader.Read(metadataPath, counts));
        if (batchKey is null)
            return new ScviInputs(counts, new int[counts.Cells], ["all"]);
        var (codes, levels) = Column(null, batchKey, counts, "--batch-key");
        return new ScviInputs(counts, codes, levels);
    }

    /// <summary>New cells for a saved model: genes aligned to the model's by name, batches coded by the model's levels.</summary>
    public static ScviInputs ReadFor(ScviSavedModel model, string countsPath, string? metadataPath, string? batchKey, TextWriter error, string? layer = null)
    {
        var loaded = CountFile.Load(countsPath, layer);
        var aligned = AlignGenes(model, loaded, countsPath);
        if (aligned.Missing.Count == model.Genes.Count)
            throw new CliException($"{countsPath}: none of its genes is among the model's {model.Genes.Count} (e.g. '{model.Genes[0]}'); check the gene names");
        if (aligned.Missing.Count > 0)
            error.WriteLine($"note: {aligned.Missing.Count} of the model's genes are absent from {countsPath} and read as zero counts (e.g. {Sample(aligned.Missing)})");
        if (aligned.Dropped.Count > 0)
            error.WriteLine($"note: {aligned.Dropped.Count} genes of {countsPath} are not in the model and are ignored (e.g. {Sample(aligned.Dropped)})");
        var counts = aligned.Counts;
        if (batchKey is null)
        {
            if (model.Batches.Count > 1)
                throw new CliException($"the model was trained on batches {string.Join(", ", model.Batches)}; give --metadata and --batch-key for the new cells");
            return new ScviInputs(counts, new int[counts.Cells], model.Batches);
        }
        var (codes, levels) = Column(metadataPath, batchKey, counts, "--batch-key");
        var known = model.Batches.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index);
        var unknown = levels.Where(l => !known.ContainsKey(l)).ToList();
        if (unknown.Count > 0)
            throw new CliException($"{metadataPath}: batch '{unknown[0]}' was not seen in training; the model knows {string.Join(", ", model.Batches)}");
        return new ScviInputs(counts, codes.Select(c => known[levels[c]]).ToArray(), model.Batches);
    }

    /// <summary>
    /// The counts' genes in the model's order: by name when both name their genes, by position when neither does
    /// (the widths must then agree), and refused when only one does, since made-up names mean nothing.
    /// </summary>
    private static AlignedCounts AlignGenes(ScviSavedModel model, CountMatrix counts, string countsPath)
    {
        if (model.GenesNamed && counts.GeneNamesGiven) return GeneAlignment.Align(counts, model.Genes);
        if (model.GenesNamed != counts.GeneNamesGiven)
            throw new CliException(model.GenesNamed
                ? $"{countsPath}: the file names no genes, but the model's genes are named (e.g. '{model.Genes[0]}'); give the counts a header row of gene names"
                : $"{countsPath}: the model was trained on counts without gene names, so genes can only be matched by position; give counts without a gene header, in the training column order");
        if (counts.Genes != model.Genes.Count)
            throw new CliException($"{countsPath}: {counts.Genes} gene columns, but the model (trained on unnamed genes, matched by position) has {model.Genes.Count}; give the same columns as in training");
        return new AlignedCounts(counts, [], []);
    }

    /// <summary>
    /// A categorical metadata column for these cells: codes 0.. and the level names. From --metadata when given, else
    /// from the counts' own per-cell columns (an .h5ad's obs).
    /// </summary>
    public static (int[] Codes, IReadOnlyList<string> Levels) Column(string? metadataPath, string key, CountMatrix counts, string option)
    {
        if (metadataPath is null)
        {
            if (counts.Metadata.Has(key)) return counts.Metadata.Categorical(key);
            throw new CliException(counts.Metadata.ColumnNames.Count > 0
                ? $"{option}: there is no column '{key}' in the cells' metadata (--metadata, or an .h5ad's obs); its columns are {string.Join(", ", counts.Metadata.ColumnNames)}"
                : $"{option} needs --metadata, the file holding that column");
        }
        var metadata = MetadataReader.Read(metadataPath, counts);
        if (!metadata.Has(key))
            throw new CliException($"{metadataPath}: there is no column '{key}'; its columns are {string.Join(", ", metadata.ColumnNames)}");
        return metadata.Categorical(key);
    }

    private static string Sample(IReadOnlyList<string> names) => string.Join(", ", names.Take(3).Select(n => $"'{n}'")) + (names.Count > 3 ? ", ..." : "");
}
