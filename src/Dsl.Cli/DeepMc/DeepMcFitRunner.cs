using System.Globalization;
using System.Text.Json;
using Dsl.Analysis.DeepMc;
using Dsl.Cli.Progress;
using Dsl.Models.DeepMc;
using Dsl.Runtime.Data;
using Dsl.Runtime.Models;
using Dsl.Runtime.Optimisation;

namespace Dsl.Cli.DeepMc;

/// <summary>What `dsl fit deepmc` was asked for.</summary>
/// <param name="Widths">from the genes' side to the rank; null for the defaults</param>
/// <param name="AllEntries">--all: every entry of imputed.csv is the model's prediction, not only the missing ones</param>
/// <param name="Dense">how imputed.csv is written: as text, gzip-compressed, or not at all</param>
/// <param name="OutH5ad">--out-h5ad: also write the cells as AnnData with the imputation as layers</param>
public sealed record DeepMcRequest(string? Counts, string? Layer, int Layers, IReadOnlyList<int>? Widths, int Genes, bool Preprocess, bool AllEntries,
    DenseOutput Dense, PointEstimationOptions Options, bool Resume, bool Force, string? OutH5ad = null);

/// <summary>
/// `dsl fit deepmc`: the paper's preprocessing, then the bundled DeepMc1/2/3 declaration fitted by the generic
/// maximum-likelihood path, then imputed.csv on the input's scale, the factors, history.csv and summary.json.
/// </summary>
public static class DeepMcFitRunner
{
    public static int Run(DeepMcRequest request, OutputFolder folder, TextWriter output, TextWriter error, ProgressMode mode)
    {
        var path = request.Counts ?? throw new CliException("fit deepmc needs --counts (CSV/TSV with cells as rows, Matrix Market, a 10x folder or .h5ad)");
        var (counts, inputs) = ReadWithCounts(path, request.Layer, request.Genes, request.Preprocess);
        if (inputs.EmptyCells is { Count: > 0 } empty)
            error.WriteLine($"note: {empty.Count} cells have no reads in the expressed genes (e.g. '{empty[0]}'); nothing of them is measured, so they are kept unscaled and imputed from the prior alone (zero)");
        var widths = request.Widths ?? DeepMcFitter.DefaultWidths(request.Layers, inputs.Genes, inputs.Cells);
        try
        {
            DeepMcFitter.CheckWidths(request.Layers, widths, inputs.Genes, inputs.Cells);
        }
        catch (ArgumentException e) { throw new CliException(e.Message); }
        var checkpoint = new CheckpointPlan(folder.File("checkpoint.bin"), request.Resume, DeepMcFitter.Fingerprint(inputs), request.Force);
        output.WriteLine($"fitting deepMc, {request.Layers} layer(s) of widths {string.Join(", ", widths)}: {inputs.Cells} cells, {inputs.Genes} genes" +
            $"{(request.Preprocess ? " (expressed, highest dispersion)" : " (as given)")}, {MissingShare(inputs):P1} of entries missing; checkpoint {checkpoint.Path}");
        DeepMcFit fit;
        try
        {
            using var line = new ProgressLine(mode, error, request.Options.Progress.Step, request.Options.Progress.Total);
            fit = DeepMcFitter.Fit(inputs, request.Layers, widths, request.Options, checkpoint, new OptimisationReporter(line), line.Note);
        }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
        Write(folder, path, inputs, fit, request);
        if (request.OutH5ad is { } h5ad) DeepMcAnnDataWriter.Write(h5ad, path, counts, inputs, fit, request, error);
        folder.Commit();
        output.WriteLine($"{fit.Fit.History.Rows.Count} {fit.Fit.History.Step}s ({fit.Fit.Outcome}), {fit.Fit.Seconds:F1} s; outputs in {Path.GetFullPath(folder.Path)}");
        return 0;
    }

    /// <summary>
    /// The counts file read and preprocessed, with the matrix as read (for labels, the scVI baseline and --out-h5ad);
    /// bad values and empty selections are one line each.
    /// </summary>
    public static (CountMatrix Counts, DeepMcInputs Inputs) ReadWithCounts(string path, string? layer, int genes, bool preprocess)
    {
        if (genes < 1) throw new CliException($"--genes must be at least 1, not {genes}");
        CountMatrix counts;
        try
        {
            // Counts or any non-negative expression (FPKM, TPM): the preprocessing scales each cell, so both are read.
            counts = MatrixLoader.Load(path, new ReadOptions { Orientation = Directory.Exists(path) ? Orientation.Auto : Orientation.CellsByGenes, Layer = layer });
        }
        catch (DataFormatException e) { throw new CliException(e.Message); }
        for (var c = 0; c < counts.Cells; c++)
        {
            var (columns, values) = (counts.RowColumns(c).ToArray(), counts.RowValues(c).ToArray());
            for (var k = 0; k < values.Length; k++)
                if (values[k] < 0 || !double.IsFinite(values[k]))
                    throw new CliException($"{path}: cell '{counts.CellNames[c]}', gene '{counts.GeneNames[columns[k]]}' holds {values[k]}; deepMc imputes non-negative expression (zeros are the missing entries)");
        }
        try
        {
            return (counts, DeepMcPreprocessing.Prepare(counts, genes, preprocess));
        }
        catch (ArgumentException e) { throw new CliException($"{path}: {e.Message}"); }
    }

    private static double MissingShare(DeepMcInputs inputs) => inputs.Expression.Count(v => v == 0) / (double)inputs.Expression.Length;

    private static void Write(OutputFolder folder, string countsPath, DeepMcInputs inputs, DeepMcFit fit, DeepMcRequest request)
    {
        var (cells, genes) = (inputs.Cells, inputs.Genes);
        if (request.Dense != DenseOutput.None)
        {
            using var pending = AtomicFile.Open(folder.File(DenseOutputOption.FileName("imputed", request.Dense)));
            using (var table = new CsvTable(pending.Stream, "cell", inputs.GeneNames, request.Dense == DenseOutput.Gzip))
            {
                var row = new float[genes];
                for (var c = 0; c < cells; c++)
                {
                    for (var g = 0; g < genes; g++) row[g] = (float)Imputed(inputs, fit, c, g, request.AllEntries);
                    table.Row(inputs.CellNames[c], row);
                }
            }
            pending.Commit();
        }
        var model = fit.Model;
        foreach (var node in model.Descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Param))
        {
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            var values = new double[shape[0] * shape[1]];
            model.TryRead(node.Name, values);
            CsvTable.Write(folder.File($"factors/{node.Name}.csv"), $"{node.Plates[0]}\\{node.Plates[1]}", Labels(node.Plates[1], shape[1], inputs),
                Labels(node.Plates[0], shape[0], inputs), (r, c) => values[r * shape[1] + c]);
        }
        var history = fit.Fit.History;
        CsvTable.Write(folder.File("history.csv"), history.Step, history.Columns,
            history.Rows.Select(r => r[0].ToString(CultureInfo.InvariantCulture)).ToList(), (r, c) => history.Rows[r][c + 1]);
        var summary = new
        {
            model = $"DeepMc{request.Layers}",
            engine = fit.Fit.Engine,
            counts = Path.GetFullPath(countsPath),
            data_fingerprint = DeepMcFitter.Fingerprint(inputs),
            cells,
            genes,
            preprocessing = request.Preprocess
                ? $"genes with >= {DeepMcPreprocessing.MinReads} reads in >= {DeepMcPreprocessing.MinCells} cells; cells scaled to the median library {inputs.MedianLibrary:G6}; top {genes} by coefficient of variation; log2(1 + x)"
                : "none: the values fitted as given",
            layers = request.Layers,
            widths = fit.Widths,
            missing_entries = inputs.Expression.Count(v => v == 0),
            imputed = request.Dense == DenseOutput.None ? "not written (--dense none)"
                : request.AllEntries ? "every entry the model's prediction, on the input's scale" : "measured entries as given, missing (zero) entries the model's prediction, on the input's scale",
            settings = fit.Fit.Settings,
            steps = history.Rows.Count,
            step = history.Step,
            outcome = fit.Fit.Outcome,
            resumed_after = fit.Fit.ResumedAfter,
            log_likelihood = history.Rows.Count == 0 ? (double?)null : history.Rows[^1][1],
            seconds_total = fit.Fit.Seconds,
        };
        AtomicFile.WriteText(folder.File("summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>An entry of the completed matrix on the input's scale: the model's prediction where Y is missing (everywhere with <paramref name="allEntries"/>), else Y's value.</summary>
    public static double Imputed(DeepMcInputs inputs, DeepMcFit fit, int cell, int gene, bool allEntries)
    {
        var at = cell * inputs.Genes + gene;
        return inputs.ToInputScale(cell, inputs.Expression[at] != 0 && !allEntries ? inputs.Expression[at] : fit.Completed[at]);
    }

    /// <summary>Gene and cell plates are labelled by name; a layer's entries by their 1-based position.</summary>
    private static IReadOnlyList<string> Labels(string plate, int size, DeepMcInputs inputs) => plate switch
    {
        "Gene" => inputs.GeneNames,
        "Cell" => inputs.CellNames,
        _ => Enumerable.Range(1, size).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList(),
    };
}
