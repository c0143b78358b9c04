using System.CommandLine;
using Dsl.Analysis.Scvi;
using Dsl.Analysis.Ursm;
using Dsl.Cli.Progress;
using Dsl.Cli.Ursm;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Commands;

/// <summary>
/// `dsl demo`: what the tool can do today, end to end: compile every bundled declaration in-process, print each plate
/// diagram and write it as SVG into the output folder, fit URSM to simulated section 4.2 data, and fit and score scVI
/// on the bundled real counts.
/// </summary>
public static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outFolder = new Option<DirectoryInfo>("--out") { Description = "Folder for the demo's outputs.", DefaultValueFactory = _ => new DirectoryInfo("dsl-demo") };
        var command = new Command("demo", "Check the bundled models, draw their plate diagrams, fit URSM to section 4.2 data scored against the paper, and evaluate scVI on real PBMC counts.") { outFolder };
        var progress = new ProgressOptions();
        progress.AddTo(command);
        command.SetAction(result => Run(result.GetValue(outFolder)!, output, error, progress.Mode(result, error)));
        return command;
    }

    public static int Run(DirectoryInfo outFolder, TextWriter output, TextWriter error, ProgressMode mode = ProgressMode.Lines)
    {
        output.WriteLine($"Checking the bundled model declarations in {BundledModels.SourceFolder}");
        var status = CheckCommand.Run([], null, output, error);
        if (status != 0) return status;
        outFolder.Create();
        foreach (var type in BundledModels.Types)
        {
            var graph = BundledModels.GraphOf(type);
            output.WriteLine();
            output.Write(TextGraphRenderer.Render(graph));
            var path = Path.Combine(outFolder.FullName, graph.Name + ".svg");
            AtomicFile.WriteText(path, SvgGraphRenderer.Render(graph));
            output.WriteLine($"wrote {path}");
        }
        output.WriteLine();
        FitUrsm(Path.Combine(outFolder.FullName, "ursm"), output, error, mode);
        output.WriteLine();
        FitScvi(Path.Combine(outFolder.FullName, "scvi"), output, error, mode);
        output.WriteLine();
        output.WriteLine($"Plate diagrams, the URSM fit and the scVI evaluation are in {outFolder.FullName}.");
        return 0;
    }

    /// <summary>Bundled real counts (data/pbmc_small, see data/PROVENANCE.md): held-out likelihood and the latent's clustering against Seurat's clusters.</summary>
    private static void FitScvi(string folder, TextWriter output, TextWriter error, ProgressMode mode)
    {
        var data = Path.Combine(AppContext.BaseDirectory, "data", "pbmc_small");
        output.WriteLine($"scVI on real counts: pbmc_small (80 PBMCs x 230 genes, Seurat's example; {data})");
        var inputs = Scvi.ScviInputReader.Read(data, null, null);
        var labels = Scvi.ScviInputReader.Column(Path.Combine(data, "cells_metadata.csv"), "ident", inputs.Counts, "ident").Codes;
        var options = new VariationalOptions { Seed = 1 };
        var settings = new ScviEvaluationSettings { Imputation = false };
        output.WriteLine($"fitting on 90 % of the cells ({options.Epochs} epochs), scoring the held-out 10 % by importance sampling ...");
        ScviEvaluationReport report;
        using (var line = new ProgressLine(mode, error, "epoch", options.Epochs))
            report = ScviEvaluation.Run(inputs, labels, options, settings, line.Note, new Scvi.EpochReporter(line));
        EvalCommand.Print(report, output);
        output.WriteLine($"  labels: Seurat's clusters (column ident of cells_metadata.csv); wrote {EvalCommand.WriteJson(report, folder)}");
    }

    /// <summary>Section 4.2: simulate, fit the unified model, and score it against the truth next to the paper.</summary>
    private static void FitUrsm(string folder, TextWriter output, TextWriter error, ProgressMode mode)
    {
        var settings = new UrsmSimulationSettings { Seed = 1 };
        output.WriteLine($"URSM, section 4.2: simulating N={settings.Genes}, L={settings.Cells}, M={settings.BulkSamples}, K={settings.Types} (section 4.1) into {folder}/data");
        var sim = UrsmSimulator.Simulate(settings);
        OutputFolder.Write(Path.Combine(folder, "data"), "simulate", f => UrsmSimulationWriter.Write(f, sim));
        var options = new GibbsEmOptions { MaxIterations = 20, Seed = 1 };
        var inputs = new UrsmInputs(settings.Types, sim.Y, sim.CellTypes, sim.X);
        var simulated = Path.GetFullPath(Path.Combine(folder, "data"));
        var sources = new UrsmSources(Path.Combine(simulated, "sc.csv"), Path.Combine(simulated, "types.txt"), Path.Combine(simulated, "bulk.csv"), null, settings.Types);
        var data = new UrsmDataSet(inputs, CsvTable.Names("gene", settings.Genes), CsvTable.Names("cell", settings.Cells), CsvTable.Names("bulk", settings.BulkSamples), sources);
        output.WriteLine($"fitting the unified model by Gibbs-EM ({options.MaxIterations} EM iterations of {options.BurnIn} + {options.Samples} sweeps) ...");
        UrsmFit fit;
        using (var line = new ProgressLine(mode, error, "EM iteration", options.MaxIterations))
            fit = UrsmFitter.Fit(inputs, options, progress: new EmIterationReporter(line));
        OutputFolder.Write(Path.Combine(folder, "fit"), "fit", f =>
        {
            UrsmOutputWriter.Write(f, data, fit, options);
            Report.FitReport.Write(f, truth: simulated);
        });
        var estimates = UrsmEstimates.From(fit.Model);
        output.WriteLine($"  L1 loss of A: naive (eq 4.2) {UrsmMetrics.L1(Dsl.Models.Ursm.Ursm.NaiveProfiles(sim.Y, sim.CellTypes, settings.Types), sim.A):F3}, URSM {UrsmMetrics.L1(estimates.A, sim.A):F3}   (paper: 0.81, 0.17)");
        output.WriteLine($"  L1 loss of W per bulk sample: {UrsmMetrics.L1PerSample(estimates.W, sim.W):F3}   (original implementation: 0.052)");
        output.WriteLine($"  AUC of dropout calls among zeros: {UrsmMetrics.DropoutAuc(sim.Y, sim.S, (i, l) => 1 - estimates.S[i, l]):F3}   (original implementation: 0.70; true parameters: about 0.745)");
        // The median iteration: the first ones include the JIT's warm-up, which `dsl bench ursm` leaves out too.
        var median = fit.Run.Iterations.Select(e => e.Seconds).Order().ElementAt(fit.Run.Iterations.Count / 2);
        output.WriteLine($"  {median:F2} s per EM iteration, median of {fit.Run.Iterations.Count} (paper: about 180 s on one core); outputs in {Path.Combine(folder, "fit")}");
    }
}
