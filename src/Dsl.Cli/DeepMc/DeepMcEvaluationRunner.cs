using System.Text.Json;
using Dsl.Analysis.DeepMc;
using Dsl.Cli.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Optimisation;

namespace Dsl.Cli.DeepMc;

/// <summary>What `dsl eval deepmc` was asked for.</summary>
public sealed record DeepMcEvaluationRequest(string Counts, string? Layer, string? Metadata, string LabelsKey, int Genes, bool Preprocess,
    DeepMcEvaluationSettings Settings, PointEstimationOptions Options, string? Out);

/// <summary>`dsl eval deepmc`: the paper's protocol on labelled data, printed as a table and written as evaluation.json.</summary>
public static class DeepMcEvaluationRunner
{
    public static int Run(DeepMcEvaluationRequest request, TextWriter output, TextWriter error)
    {
        var (counts, inputs) = DeepMcFitRunner.ReadWithCounts(request.Counts, request.Layer, request.Genes, request.Preprocess);
        var (labels, levels) = ScviInputReader.Column(request.Metadata, request.LabelsKey, counts, "--labels-key");
        output.WriteLine($"deepMc evaluation: {inputs.Cells} cells, {inputs.Genes} genes, {levels.Count} labels ({request.LabelsKey})");
        DeepMcEvaluationReport report;
        try
        {
            report = DeepMcEvaluation.Run(inputs, counts, labels, levels, request.Settings, request.Options,
                layers => DeepMcFitter.DefaultWidths(layers, inputs.Genes, inputs.Cells), line => error.WriteLine(line));
        }
        catch (ArgumentException e) { throw new CliException($"{request.Counts}: {e.Message}"); }
        Print(report, output);
        if (request.Out is { } folder)
            OutputFolder.Write(folder, "eval", f =>
            {
                var path = f.File("evaluation.json");
                AtomicFile.WriteText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, IncludeFields = true }) + "\n");
                output.WriteLine($"wrote {Path.GetFullPath(path)}");
            });
        return 0;
    }

    public static void Print(DeepMcEvaluationReport report, TextWriter output)
    {
        output.WriteLine($"imputation of {report.HiddenEntries} hidden non-zero entries (log2 scale):");
        output.WriteLine($"  {"method",-28} {"median L1",10} {"RMSE",8}");
        foreach (var score in report.Imputation) output.WriteLine($"  {score.Method,-28} {score.MedianL1,10:F3} {score.Rmse,8:F3}");
        output.WriteLine($"clustering (k-means, k = {report.Clusters}) and cell-type separability of {report.PairA} vs {report.PairB}:");
        output.WriteLine($"  {"expression",-28} {"ARI",10} {"CTS",8}");
        foreach (var score in report.Separation) output.WriteLine($"  {score.Method,-28} {score.KMeansAri,10:F3} {score.Cts,8:F3}");
        output.WriteLine($"  {report.Seconds:F1} s");
    }
}
