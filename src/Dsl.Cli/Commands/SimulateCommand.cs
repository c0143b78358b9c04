using System.CommandLine;
using Dsl.Analysis.Gimvi;
using Dsl.Analysis.Scvi;
using Dsl.Analysis.Ursm;
using Dsl.Cli.Declared;
using Dsl.Cli.Scvi;
using Dsl.Cli.Ursm;
using Dsl.Models.Gimvi;

namespace Dsl.Cli.Commands;

/// <summary>`dsl simulate ursm|scvi`: URSM's section 4.1 design or synthetic ZINB data for scVI, inputs and truth written to --out.</summary>
public static class SimulateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "ursm, scvi, or a model file (.cs) to simulate from its declaration." };
        var plates = new Option<string[]>("--plate") { Description = "model.cs: a plate's size, NAME=SIZE (repeat per plate)." };
        var sets = new Option<string[]>("--set") { Description = "model.cs: a data or parameter node's value, NODE=VALUE, for every entry (repeat per node)." };
        var totals = new Option<string[]>("--total") { Description = "model.cs: the trials of each row of a multinomial node, NODE=N (default 1000)." };
        var data = new Option<string[]>("--data") { Description = "model.cs: data and parameter values (and plate sizes): JSON files in CmdStan's format, or NODE=FILE per node as `dsl fit` reads them." };
        var modelName = new Option<string?>("--model") { Description = "model.cs: the [PlateModel] class, where the file declares several." };
        var with = new Option<string[]>("--with") { Description = "model.cs: a further declaration file compiled beside it, holding a base its model extends. Repeat as needed." };
        var genes = new Option<int?>("-N", "--genes") { Description = "Genes N (default: 200 for ursm, 558 for scvi)." };
        var cells = new Option<int?>("-L", "--cells") { Description = "Single cells L (default: 100 for ursm, 3005 for scvi)." };
        var clusters = new Option<int>("--clusters") { Description = "scvi: cell clusters.", DefaultValueFactory = _ => 7 };
        var batches = new Option<int>("--batches") { Description = "scvi: batches.", DefaultValueFactory = _ => 2 };
        var bulk = new Option<int>("-M", "--bulk-samples") { Description = "Bulk samples M.", DefaultValueFactory = _ => 150 };
        var types = new Option<int>("-K", "--types") { Description = "Cell types K.", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var outFolder = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var command = new Command("simulate", "Simulate data from a model: a model file's declaration (data.json, truth.json, truth.csv), URSM section 4.1 (sc.csv, types.txt, bulk.csv, markers.csv and the truth) or scVI's ZINB process (counts.csv, cells.csv and the truth).")
            { model, genes, cells, bulk, types, clusters, batches, seed, outFolder, plates, sets, totals, data, modelName, with };
        command.SetAction(r =>
        {
            var name = r.GetValue(model)!;
            var declaredOnly = new Option[] { plates, sets, totals, data, modelName, with };
            if (DeclaredModelLoader.IsModelFile(name))
            {
                CliArguments.RefuseUnused(r, [genes, cells, bulk, types, clusters, batches], $"simulate {Path.GetFileName(name)} (give plate sizes with --plate NAME=SIZE)");
                return DeclaredSimulationRunner.Run(new SimulationRequest(name, r.GetValue(modelName), r.GetValue(plates) ?? [], r.GetValue(sets) ?? [], r.GetValue(totals) ?? [],
                    r.GetValue(data) ?? [], r.GetValue(seed), r.GetValue(outFolder)!, r.GetValue(with) ?? []), output, error);
            }
            CliArguments.RefuseUnused(r, declaredOnly, $"simulate {name}");
            if (name == "scvi") return SimulateScvi(r, genes, cells, clusters, batches, seed, outFolder, output);
            if (name == "gimvi")
            {
                CliArguments.RefuseUnused(r, [bulk, types, batches], "simulate gimvi");
                return SimulateGimvi(r, genes, cells, clusters, seed, outFolder, output);
            }
            if (name != "ursm") throw new CliException($"unknown model '{name}' for simulate; use ursm, scvi or gimvi");
            var settings = new UrsmSimulationSettings
            {
                Genes = r.GetValue(genes) ?? 200, Cells = r.GetValue(cells) ?? 100, BulkSamples = r.GetValue(bulk), Types = r.GetValue(types), Seed = r.GetValue(seed),
            };
            UrsmSimulation simulation;
            try { simulation = UrsmSimulator.Simulate(settings); }
            catch (ArgumentException e) { throw new CliException(e.Message); }
            var folder = r.GetValue(outFolder)!;
            OutputFolder.Write(folder, "simulate", f => UrsmSimulationWriter.Write(f, simulation));
            output.WriteLine($"wrote section 4.1 data (N={settings.Genes}, L={settings.Cells}, M={settings.BulkSamples}, K={settings.Types}, seed {settings.Seed}) to {Path.GetFullPath(folder)}");
            return 0;
        });
        return command;
    }

    /// <summary>gimVI's paired setting: -L sequenced cells (spatial cells 4/3 as many), -N genes, 33 spatial genes of which 7 held out.</summary>
    private static int SimulateGimvi(ParseResult r, Option<int?> genes, Option<int?> cells, Option<int> clusters, Option<ulong> seed, Option<string> outFolder, TextWriter output)
    {
        var sequenced = r.GetValue(cells) ?? 3000;
        var settings = new GimviSimulationSettings
        {
            SequencedCells = sequenced, SpatialCells = (int)Math.Round(sequenced * 4.0 / 3), Genes = r.GetValue(genes) ?? 500, Clusters = r.GetValue(clusters), Seed = r.GetValue(seed),
        };
        if (settings.SequencedCells < 3 || settings.Genes < settings.SpatialGenes || settings.Clusters < 1)
            throw new CliException($"gimvi simulation needs at least 3 cells, {settings.SpatialGenes} genes (the spatial ones are among them) and 1 cluster");
        var folder = r.GetValue(outFolder)!;
        var simulation = GimviSimulator.Simulate(settings);
        OutputFolder.Write(folder, "simulate", f => Gimvi.GimviSimulationWriter.Write(f, simulation));
        output.WriteLine($"wrote a synthetic gimVI pair ({settings.SequencedCells} sequenced cells x {settings.Genes} genes, {settings.SpatialCells} spatial cells x " +
            $"{settings.SpatialGenes - settings.HeldOutGenes} observed + {settings.HeldOutGenes} held-out genes, seed {settings.Seed}) to {Path.GetFullPath(folder)}");
        return 0;
    }

    private static int SimulateScvi(ParseResult r, Option<int?> genes, Option<int?> cells, Option<int> clusters, Option<int> batches, Option<ulong> seed,
        Option<string> outFolder, TextWriter output)
    {
        var settings = new ScviSimulationSettings
        {
            Cells = r.GetValue(cells) ?? 3005, Genes = r.GetValue(genes) ?? 558, Clusters = r.GetValue(clusters), Batches = r.GetValue(batches), Seed = r.GetValue(seed),
        };
        if (settings.Cells < 2 || settings.Genes < 1 || settings.Clusters < 1 || settings.Batches < 1)
            throw new CliException("scvi simulation needs at least 2 cells, 1 gene, 1 cluster and 1 batch");
        var folder = r.GetValue(outFolder)!;
        var simulation = ScviSimulator.Simulate(settings);
        OutputFolder.Write(folder, "simulate", f => ScviSimulationWriter.Write(f, simulation));
        output.WriteLine($"wrote synthetic ZINB data ({settings.Cells} cells x {settings.Genes} genes, {settings.Clusters} clusters, {settings.Batches} batches, seed {settings.Seed}) to {Path.GetFullPath(folder)}");
        return 0;
    }
}
