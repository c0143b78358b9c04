using System.Globalization;
using System.Text.Json;
using Dsl.Analysis.Ursm;
using Dsl.Runtime.Data;
using Dsl.Runtime.Inference;

namespace Dsl.Cli.Ursm;

/// <summary>Writes a URSM fit's outputs into a folder, each file atomically (see `dsl fit ursm --help`).</summary>
public static class UrsmOutputWriter
{
    public static void Write(OutputFolder folder, UrsmDataSet data, UrsmFit fit, GibbsEmOptions options)
    {
        var estimates = UrsmEstimates.From(fit.Model);
        var typeNames = CsvTable.Names("type", data.Inputs.Types);
        var genes = data.Genes;
        CsvTable.Write(folder.File("A.csv"), "gene", typeNames, genes, (i, k) => estimates.A[i, k]);
        CsvTable.Write(folder.File("W.csv"), "type", data.BulkSamples, typeNames, (k, j) => estimates.W[k, j]);
        CsvTable.Write(folder.File("alpha.csv"), "type", ["alpha"], typeNames, (k, _) => estimates.Alpha[k]);
        CsvTable.Write(folder.File("dropout_params.csv"), "parameter", ["value"], ["mu_kappa", "sigma2_kappa", "mu_tau", "sigma2_tau"],
            (r, _) => new[] { estimates.MuKappa, estimates.VarKappa, estimates.MuTau, estimates.VarTau }[r]);
        if (data.Inputs.SingleCell is { } y)
        {
            CsvTable.Write(folder.File("S.csv"), "cell", genes, data.Cells, (c, i) => estimates.S[i, c]);
            CsvTable.Write(folder.File("cells.csv"), "cell", ["kappa", "tau"], data.Cells, (c, v) => v == 0 ? estimates.Kappa[c] : estimates.Tau[c]);
            var imputed = estimates.Impute(y, data.Inputs.CellTypes!);
            CsvTable.Write(folder.File("imputed.csv"), "cell", genes, data.Cells, (c, i) => imputed[i, c]);
        }
        var iterations = fit.Run.Iterations;
        CsvTable.Write(folder.File("elbo.csv"), "iteration", ["expected_complete_loglik", "seconds"],
            iterations.Select(e => e.Index.ToString(CultureInfo.InvariantCulture)).ToList(),
            (r, c) => c == 0 ? iterations[r].ExpectedCompleteLogLikelihood : iterations[r].Seconds);
        var summary = new
        {
            model = "ursm",
            genes = genes.Count,
            types = data.Inputs.Types,
            cells = data.Cells.Count,
            bulk_samples = data.BulkSamples.Count,
            inputs = data.Sources,
            settings = new { burnin = options.BurnIn, samples = options.Samples, em_iterations = options.MaxIterations, seed = options.Seed, threads = options.Threads, plug_in = options.MStep.PlugInNormaliser },
            iterations = iterations.Count,
            converged = fit.Run.Converged,
            resumed_after = fit.Run.ResumedAfter,
            seconds_total = fit.Seconds,
            seconds_per_iteration = iterations.Count == 0 ? 0 : iterations.Average(e => e.Seconds),
            expected_complete_loglik = iterations.Count == 0 ? double.NaN : iterations[^1].ExpectedCompleteLogLikelihood,
        };
        AtomicFile.WriteText(folder.File("summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
