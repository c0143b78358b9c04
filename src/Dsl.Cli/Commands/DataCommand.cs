using System.CommandLine;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Commands;

/// <summary>`dsl data info|convert`: read count matrices in any supported format, summarise or rewrite them.</summary>
public static class DataCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = new Argument<string>("input") { Description = "A 10x folder, a .mtx file, an .h5ad file, or a CSV/TSV file." };
        var orientation = new Option<Orientation>("--orientation") { Description = "Rows of the file: GenesByCells or CellsByGenes (default: decided from names, 10x = genes x cells, dense = cells x genes).", DefaultValueFactory = _ => Orientation.Auto };
        var header = new Option<HeaderMode>("--header") { Description = "Dense files: Present, Absent or Auto.", DefaultValueFactory = _ => HeaderMode.Auto };
        var counts = new Option<bool>("--counts") { Description = "Require non-negative integer counts." };
        var layer = LayerOption.Create();
        var metadata = new Option<FileInfo?>("--metadata") { Description = "Per-cell metadata CSV (header; first column the cell name)." };

        var info = new Command("info", "Summarise a count matrix: shape, non-zeros, sparsity, value range, metadata columns.")
        {
            input, orientation, header, counts, layer, metadata,
        };
        info.SetAction(result =>
        {
            var matrix = Load(result.GetValue(input)!, result.GetValue(orientation), result.GetValue(header), result.GetValue(counts), result.GetValue(layer), result.GetValue(metadata));
            Describe(matrix, output);
            return 0;
        });

        var destination = new Argument<string>("output") { Description = "A folder (10x output), an .h5ad file (AnnData, X as CSR, obs from --metadata) or a .csv/.tsv file (dense, one row per cell)." };
        var gzip = new Option<bool>("--gzip") { Description = "Compress 10x output files." };
        var convert = new Command("convert", "Rewrite a count matrix as a 10x folder or a dense CSV/TSV.")
        {
            input, destination, orientation, header, counts, layer, metadata, gzip,
        };
        convert.SetAction(result =>
        {
            var matrix = Load(result.GetValue(input)!, result.GetValue(orientation), result.GetValue(header), result.GetValue(counts), result.GetValue(layer), result.GetValue(metadata));
            var target = result.GetValue(destination)!;
            if (target.EndsWith(".h5ad", StringComparison.OrdinalIgnoreCase))
                Runtime.Data.AnnData.AnnDataWriter.Write(target, new Runtime.Data.AnnData.AnnDataContent(matrix));
            else if (target.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || target.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
                MatrixWriter.WriteDense(matrix, target, delimiter: target.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',');
            else
                MatrixWriter.WriteTenX(matrix, target, result.GetValue(gzip));
            output.WriteLine($"wrote {matrix.Cells} cells x {matrix.Genes} genes to {target}");
            return 0;
        });

        return new Command("data", "Read, summarise and convert count matrices.") { info, convert };
    }

    private static CountMatrix Load(string path, Orientation orientation, HeaderMode header, bool counts, string? layer, FileInfo? metadata)
    {
        var matrix = MatrixLoader.Load(path, new ReadOptions { Orientation = orientation, Header = header, RequireCounts = counts, Layer = layer });
        return metadata is null ? matrix : matrix.WithMetadata(MetadataReader.Read(metadata.FullName, matrix));
    }

    private static void Describe(CountMatrix matrix, TextWriter output)
    {
        var entries = (double)matrix.Cells * matrix.Genes;
        output.WriteLine($"cells        {matrix.Cells}");
        output.WriteLine($"genes        {matrix.Genes}");
        output.WriteLine($"non-zeros    {matrix.NonZeros} (sparsity {(entries == 0 ? 0 : 1 - matrix.NonZeros / entries):0.000})");
        output.WriteLine($"values       {(matrix.IsInteger ? "integer" : "real")}, max {(matrix.NonZeros == 0 ? 0 : matrix.Values.Max()):G6}");
        var totals = Enumerable.Range(0, matrix.Cells).Select(matrix.RowTotal).OrderBy(t => t).ToList();
        if (totals.Count > 0) output.WriteLine($"cell totals  min {totals[0]:G6}, median {totals[totals.Count / 2]:G6}, max {totals[^1]:G6}");
        output.WriteLine($"first cells  {string.Join(", ", matrix.CellNames.Take(3))}");
        output.WriteLine($"first genes  {string.Join(", ", matrix.GeneNames.Take(3))}");
        foreach (var column in matrix.Metadata.ColumnNames)
        {
            var levels = matrix.Metadata[column].GroupBy(v => v).OrderByDescending(g => g.Count()).ToList();
            output.WriteLine($"metadata     {column}: {levels.Count} levels ({string.Join(", ", levels.Take(4).Select(g => $"{g.Key}: {g.Count()}"))}{(levels.Count > 4 ? ", ..." : "")})");
        }
    }
}
