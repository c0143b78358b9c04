using System.Text.Json;
using Dsl.Analysis.Gimvi;
using Dsl.Cli.Progress;
using Dsl.Cli.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Gimvi;

/// <summary>`dsl eval gimvi`: spatial genes held out, the pair fitted on the rest, imputation and the latent space scored, printed and written as evaluation.json.</summary>
public static class GimviEvaluationRunner
{
    public static int Run(GimviRequest request, VariationalOptions options, GimviEvaluationSettings settings, string? outFolder, TextWriter output, TextWriter error, ProgressMode mode)
    {
        var inputs = GimviFitRunner.Read(request);
        output.WriteLine($"gimVI evaluation: {inputs.Sequenced.Cells} sequenced cells x {inputs.Sequenced.Genes} genes, {inputs.Spatial.Cells} spatial cells x {inputs.Spatial.Genes} genes, " +
            $"{settings.HeldOutShare:P0} of the spatial genes held out");
        GimviEvaluationReport report;
        try
        {
            // The progress total counts the default members on the whole pair; the fitted pair may lack a few spatial cells
            // (those with counts only in held-out genes), which moves the default only at a boundary of its rule.
            using var line = new ProgressLine(mode, error, "epoch", options.Epochs * (request.Members ?? GimviFitter.DefaultMembers(inputs)));
            report = GimviBenchmark.Run(inputs, request.Likelihood, options, request.Latent, request.Kappa, settings, new EpochReporter(line), line.Note, request.Members);
        }
        catch (ArgumentException e) { throw new CliException($"{request.Spatial}: {e.Message}"); }
        Print(report, output);
        if (outFolder is not null)
            OutputFolder.Write(outFolder, "eval", f =>
            {
                var path = f.File("evaluation.json");
                // A held-out gene constant across the spatial cells has no Spearman correlation: written as "NaN".
                AtomicFile.WriteText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions
                {
                    WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
                }) + "\n");
                output.WriteLine($"wrote {Path.GetFullPath(path)}");
            });
        return 0;
    }

    public static void Print(GimviEvaluationReport report, TextWriter output)
    {
        output.WriteLine($"held-out spatial genes, Spearman across spatial cells (kappa {report.Kappa:G3}):");
        output.WriteLine($"  {"gene",-20} {"gimVI",8} {"k-NN",8}");
        foreach (var gene in report.Genes) output.WriteLine($"  {gene.Gene,-20} {gene.Gimvi,8:F3} {gene.NearestNeighbours,8:F3}");
        output.WriteLine($"  {"median",-20} {report.MedianSpearman,8:F3} {report.NearestNeighbourMedianSpearman,8:F3}");
        output.WriteLine($"mixing of the two sets in the joint latent (-KL, 0 = perfectly mixed): {report.Mixing:F3}");
        if (report.SequencedPurity is { } sequenced && report.SpatialPurity is { } spatial)
            output.WriteLine($"k-NN purity against scVI on each set alone (Jaccard): sequenced {sequenced:F3}, spatial {spatial:F3}");
        output.WriteLine($"{report.Epochs} epochs{(report.Members > 1 ? $" in each of {report.Members} seeded fits, their imputations averaged" : "")}, {report.SecondsPerEpoch:F3} s per epoch; {report.Seconds:F1} s in all");
    }
}
