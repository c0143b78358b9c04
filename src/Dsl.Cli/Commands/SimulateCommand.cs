using System.CommandLine;
using Dsl.Cli.Ursm;
using Dsl.Models.Ursm;

namespace Dsl.Cli.Commands;

/// <summary>`dsl simulate ursm`: section 4.1's simulation, inputs and truth written to --out.</summary>
public static class SimulateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "ursm (scvi arrives with issue #5)." };
        var genes = new Option<int>("-N", "--genes") { Description = "Genes N.", DefaultValueFactory = _ => 200 };
        var cells = new Option<int>("-L", "--cells") { Description = "Single cells L.", DefaultValueFactory = _ => 100 };
        var bulk = new Option<int>("-M", "--bulk-samples") { Description = "Bulk samples M.", DefaultValueFactory = _ => 150 };
        var types = new Option<int>("-K", "--types") { Description = "Cell types K.", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var outFolder = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var command = new Command("simulate", "Simulate data from a model: URSM section 4.1 (sc.csv, types.txt, bulk.csv, markers.csv and the truth).")
            { model, genes, cells, bulk, types, seed, outFolder };
        command.SetAction(r =>
        {
            var name = r.GetValue(model)!;
            if (name == "scvi") { error.WriteLine("dsl simulate scvi: not available yet; it arrives with issue #5."); return 2; }
            if (name != "ursm") throw new CliException($"unknown model '{name}' for simulate; use ursm");
            var settings = new UrsmSimulationSettings
            {
                Genes = r.GetValue(genes), Cells = r.GetValue(cells), BulkSamples = r.GetValue(bulk), Types = r.GetValue(types), Seed = r.GetValue(seed),
            };
            UrsmSimulation simulation;
            try { simulation = UrsmSimulator.Simulate(settings); }
            catch (ArgumentException e) { throw new CliException(e.Message); }
            var folder = r.GetValue(outFolder)!;
            UrsmSimulationWriter.Write(folder, simulation);
            output.WriteLine($"wrote section 4.1 data (N={settings.Genes}, L={settings.Cells}, M={settings.BulkSamples}, K={settings.Types}, seed {settings.Seed}) to {Path.GetFullPath(folder)}");
            return 0;
        });
        return command;
    }
}
