using Dsl.Analysis.Ursm;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Ursm;

/// <summary>URSM inputs as read from files, with the names the outputs use.</summary>
/// <param name="Sources">the files read (full paths), so a report can read the same data again</param>
public sealed record UrsmDataSet(UrsmInputs Inputs, IReadOnlyList<string> Genes, IReadOnlyList<string> Cells, IReadOnlyList<string> BulkSamples, UrsmSources Sources)
{
    /// <summary>False when genes of the single-cell file were left out (not in the bulk file): its columns are then not the fit's.</summary>
    public bool KeepsEverySingleCellGene { get; init; } = true;
}

/// <summary>The files a URSM fit read, as full paths (null where not given).</summary>
public sealed record UrsmSources(string? sc, string? types, string? bulk, string? markers, int k);

/// <summary>
/// Reads URSM's inputs: count files in the original layout (no header, one row per cell or bulk sample, one column per
/// gene), headed CSV/TSV or 10x folders; a types file (0-indexed, one per line); optional marker genes (gene,type per line).
/// Single-cell and bulk genes are aligned by name when both files name them.
/// </summary>
public static class UrsmInputReader
{
    public static UrsmDataSet Read(string? singleCellPath, string? typesPath, string? bulkPath, int types, string? markersPath, TextWriter messages)
    {
        if (singleCellPath is null && bulkPath is null) throw new CliException("give --sc (single-cell counts), --bulk (bulk counts), or both");
        if (singleCellPath is not null && typesPath is null) throw new CliException("--sc needs --types: a file with each cell's type (0-indexed), one per line");
        var sc = singleCellPath is null ? null : CountFile.Load(singleCellPath);
        var bulk = bulkPath is null ? null : CountFile.Load(bulkPath);
        var genes = (sc ?? bulk)!.GeneNames;
        int[]? scColumns = null, bulkColumns = null;
        if (sc is not null && bulk is not null)
        {
            if (sc.GeneNamesGiven != bulk.GeneNamesGiven)
            {
                var (named, unnamed) = sc.GeneNamesGiven ? (singleCellPath, bulkPath) : (bulkPath, singleCellPath);
                throw new CliException($"{named} names its genes but {unnamed} does not, so their columns cannot be matched; " +
                    $"give {unnamed} a header row of gene names (or remove the header from {named}, with genes in the same column order)");
            }
            if (sc.GeneNamesGiven) (genes, scColumns, bulkColumns) = SharedGenes(sc, bulk, singleCellPath!, bulkPath!, messages);
            else if (sc.Genes != bulk.Genes)
                throw new CliException($"{singleCellPath} has {sc.Genes} gene columns and {bulkPath} has {bulk.Genes}; without gene names the columns are matched " +
                    "by position, so both files need the same genes in the same order (or give both a header row of gene names)");
        }
        var y = sc is null ? null : GenesByColumns(sc, scColumns);
        var cellTypes = typesPath is null ? null : ReadTypes(typesPath, sc!.Cells, types);
        var x = bulk is null ? null : GenesByColumns(bulk, bulkColumns);
        if (y is not null)
        {
            for (var c = 0; c < y.GetLength(1); c++)
            {
                var total = 0L;
                for (var i = 0; i < y.GetLength(0); i++) total += y[i, c];
                if (total == 0) throw new CliException($"{singleCellPath}: cell '{sc!.CellNames[c]}' (row {c + 1}) has no reads on the genes used; remove it");
            }
        }
        var markers = markersPath is null ? null : ReadMarkers(markersPath, genes, (sc ?? bulk)!.GeneNamesGiven, types);
        var present = cellTypes?.Distinct().Count() ?? 0;
        if (present < types && markers is null)
            throw new CliException($"-K {types} but only {present} cell types have single cells; give --markers so the other types can be identified (section 4.5), or lower -K");
        var sources = new UrsmSources(Full(singleCellPath), Full(typesPath), Full(bulkPath), Full(markersPath), types);
        return new UrsmDataSet(new UrsmInputs(types, y, cellTypes, x, markers), genes, sc?.CellNames ?? [], bulk?.CellNames ?? [], sources)
        {
            KeepsEverySingleCellGene = sc is null || genes.Count == sc.Genes,
        };
    }

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);

    /// <summary>The same data again, from the sources a fit recorded in its summary.json.</summary>
    public static UrsmDataSet Read(UrsmSources sources, TextWriter messages) => Read(sources.sc, sources.types, sources.bulk, sources.k, sources.markers, messages);

    /// <summary>The genes both files name, in the single-cell file's order, and each file's columns for them.</summary>
    private static (IReadOnlyList<string> Genes, int[] ScColumns, int[] BulkColumns) SharedGenes(CountMatrix sc, CountMatrix bulk,
        string singleCellPath, string bulkPath, TextWriter messages)
    {
        var bulkIndex = bulk.GeneNames.Select((g, n) => (g, n)).GroupBy(p => p.g).ToDictionary(g => g.Key, g => g.First().n);
        var shared = sc.GeneNames.Select((g, n) => (g, n)).Where(p => bulkIndex.ContainsKey(p.g)).ToList();
        if (shared.Count == 0)
            throw new CliException($"{singleCellPath} and {bulkPath} share no gene names; give both files the same genes (or neither file a header, with genes in the same column order)");
        Report(messages, singleCellPath, sc.GeneNames.Except(bulkIndex.Keys).ToList());
        Report(messages, bulkPath, bulk.GeneNames.Except(sc.GeneNames).ToList());
        return (shared.Select(p => p.g).ToList(), shared.Select(p => p.n).ToArray(), shared.Select(p => bulkIndex[p.g]).ToArray());
    }

    private static void Report(TextWriter messages, string path, IReadOnlyList<string> dropped)
    {
        if (dropped.Count == 0) return;
        var shown = string.Join(", ", dropped.Take(10)) + (dropped.Count > 10 ? $", ... ({dropped.Count - 10} more)" : "");
        messages.WriteLine($"note: {dropped.Count} genes of {path} are not in the other file and are left out: {shown}");
    }

    /// <summary>Counts as [gene, sample], keeping the chosen gene columns.</summary>
    private static int[,] GenesByColumns(CountMatrix matrix, int[]? columns)
    {
        columns ??= Enumerable.Range(0, matrix.Genes).ToArray();
        var position = new int[matrix.Genes];
        Array.Fill(position, -1);
        for (var n = 0; n < columns.Length; n++) position[columns[n]] = n;
        var counts = new int[columns.Length, matrix.Cells];
        for (var c = 0; c < matrix.Cells; c++)
        {
            var genes = matrix.RowColumns(c);
            var values = matrix.RowValues(c);
            for (var e = 0; e < genes.Length; e++)
                if (position[genes[e]] >= 0) counts[position[genes[e]], c] = (int)values[e];
        }
        return counts;
    }

    private static int[] ReadTypes(string path, int cells, int types)
    {
        if (!File.Exists(path)) throw new CliException($"{path}: no such file (the cell types: one 0-indexed type per line)");
        var values = new List<int>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (!int.TryParse(line, out var type))
                throw new CliException($"{path}:{lineNumber}: '{line}' is not a cell type; write one 0-indexed integer type per line");
            if (type < 0 || type >= types)
                throw new CliException($"{path}:{lineNumber}: cell type {type} is outside 0..{types - 1}; types are 0-indexed, so raise -K or fix the type");
            values.Add(type);
        }
        if (values.Count != cells)
            throw new CliException($"{path}: {values.Count} cell types for {cells} single cells; give exactly one type per cell, in the order of the counts' rows");
        return values.ToArray();
    }

    /// <param name="namesGiven">false when the count files named no genes: their made-up names are not matched, only column indices</param>
    private static Dictionary<int, int> ReadMarkers(string path, IReadOnlyList<string> genes, bool namesGiven, int types)
    {
        if (!File.Exists(path)) throw new CliException($"{path}: no such file (marker genes: 'gene,type' per line)");
        var byName = namesGiven ? genes.Select((g, n) => (g, n)).GroupBy(p => p.g).ToDictionary(g => g.Key, g => g.First().n) : [];
        var markers = new Dictionary<int, int>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var fields = raw.Split(',', '\t');
            if (raw.Trim().Length == 0) continue;
            if (fields.Length != 2 || !int.TryParse(fields[1].Trim(), out var type) || type < 0 || type >= types)
                throw new CliException($"{path}:{lineNumber}: expected 'gene,type' with a type in 0..{types - 1}");
            var name = fields[0].Trim();
            if (!byName.TryGetValue(name, out var gene) && !(int.TryParse(name, out gene) && gene >= 0 && gene < genes.Count))
                throw new CliException(namesGiven
                    ? $"{path}:{lineNumber}: gene '{name}' is not among the genes fitted (a name, or a 0-based column index)"
                    : $"{path}:{lineNumber}: gene '{name}' is not a 0-based column index below {genes.Count}; the count files name no genes, so markers are given by column");
            markers[gene] = type;
        }
        return markers;
    }
}
