using Dsl.Runtime.Data;

namespace Dsl.Analysis.Gimvi;

using Dsl.Models.Gimvi;

/// <summary>
/// A pair of count matrices for gimVI: sequenced cells over all their genes, spatial cells over a subset of those genes
/// (matched by name), and where each spatial gene sits among the sequenced ones.
/// </summary>
public sealed record GimviInputs(CountMatrix Sequenced, CountMatrix Spatial, int[] GeneOf)
{
    /// <summary>
    /// Pairs the two matrices by gene name. Refused, with what to fix: unnamed genes, no gene in common, spatial genes
    /// the sequenced set lacks (listed), a spatial cell with no counts (its renormalised frequencies are undefined).
    /// </summary>
    public static GimviInputs Pair(CountMatrix sequenced, CountMatrix spatial, string sequencedName = "the sequencing counts", string spatialName = "the spatial counts")
    {
        if (!sequenced.GeneNamesGiven || !spatial.GeneNamesGiven)
            throw new ArgumentException($"{(sequenced.GeneNamesGiven ? spatialName : sequencedName)} names no genes; gimVI matches the spatial genes to the sequenced ones by name, so give both a header of gene names");
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var g = 0; g < sequenced.Genes; g++) position.TryAdd(sequenced.GeneNames[g], g);
        var missing = spatial.GeneNames.Where(name => !position.ContainsKey(name)).ToList();
        if (missing.Count == spatial.Genes)
            throw new ArgumentException($"{spatialName} and {sequencedName} share no gene (e.g. spatial '{spatial.GeneNames[0]}', sequenced '{sequenced.GeneNames[0]}'); check that both name genes the same way (symbols or Ensembl ids)");
        if (missing.Count > 0)
            throw new ArgumentException($"{missing.Count} spatial gene(s) of {spatialName} are not among the sequenced genes of {sequencedName}: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", ..." : "")}; the spatial genes must be a subset, so drop these columns or add them to the sequencing set");
        var repeated = spatial.GeneNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new ArgumentException($"{spatialName} holds gene '{repeated.Key}' {repeated.Count()} times; each spatial gene must appear once");
        // A spatial gene named twice among the sequenced genes has no one match: refuse rather than pick one.
        var spatialNames = spatial.GeneNames.ToHashSet(StringComparer.Ordinal);
        var ambiguous = sequenced.GeneNames.Where(spatialNames.Contains).GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (ambiguous is not null)
            throw new ArgumentException($"{sequencedName} holds gene '{ambiguous.Key}' {ambiguous.Count()} times, and the spatial counts measure it; make the sequenced gene names unique (e.g. symbol plus Ensembl id)");
        for (var m = 0; m < spatial.Cells; m++)
            if (spatial.RowTotal(m) <= 0)
                throw new ArgumentException($"{spatialName}: spatial cell '{spatial.CellNames[m]}' (row {m + 1}) has zero total count; its expression over the measured genes is undefined, so remove it");
        return new GimviInputs(sequenced, spatial, spatial.GeneNames.Select(name => position[name]).ToArray());
    }

    /// <summary>Some columns of a matrix, in the given order.</summary>
    public static CountMatrix SelectGenes(CountMatrix counts, IReadOnlyList<int> genes)
    {
        var builder = new CsrBuilder(counts.Cells, genes.Count);
        for (var c = 0; c < counts.Cells; c++)
            for (var k = 0; k < genes.Count; k++)
                if (counts[c, genes[k]] is var value and not 0) builder.Add(c, k, value);
        return builder.Build(counts.CellNames.ToArray(), genes.Select(g => counts.GeneNames[g]).ToArray());
    }

    /// <summary>l'_m: each spatial cell's total over the measured genes (eq 6's observed library size).</summary>
    public double[] SpatialLibrary() => Enumerable.Range(0, Spatial.Cells).Select(Spatial.RowTotal).ToArray();

    /// <summary>The data's fingerprint for checkpoints: both matrices, names included.</summary>
    public string Fingerprint()
    {
        using var fingerprint = new DataFingerprint();
        return fingerprint.Add("sequenced", Sequenced).Add("spatial", Spatial).Finish();
    }
}
