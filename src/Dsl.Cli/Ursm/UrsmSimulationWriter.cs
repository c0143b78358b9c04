using Dsl.Analysis.Ursm;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Ursm;

/// <summary>
/// Writes a section 4.1 simulation: the inputs in the original URSM layout with names (sc.csv: cells x genes,
/// types.txt, bulk.csv: bulk samples x genes, markers.csv) and the truth (truth_A.csv, truth_W.csv, truth_S.csv, truth_cells.csv).
/// </summary>
public static class UrsmSimulationWriter
{
    public static void Write(OutputFolder folder, UrsmSimulation sim)
    {
        var s = sim.Settings;
        var genes = CsvTable.Names("gene", s.Genes);
        var cells = CsvTable.Names("cell", s.Cells);
        var bulk = CsvTable.Names("bulk", s.BulkSamples);
        var types = CsvTable.Names("type", s.Types);
        CsvTable.Write(folder.File("sc.csv"), "cell", genes, cells, (c, i) => sim.Y[i, c]);
        CsvTable.Write(folder.File("bulk.csv"), "sample", genes, bulk, (j, i) => sim.X[i, j]);
        AtomicFile.WriteText(folder.File("types.txt"), string.Join("\n", sim.CellTypes) + "\n");
        AtomicFile.WriteText(folder.File("markers.csv"),
            string.Concat(sim.MarkerGenes.Select((t, i) => (t, i)).Where(p => p.t >= 0).Select(p => $"{genes[p.i]},{p.t}\n")));
        CsvTable.Write(folder.File("truth_A.csv"), "gene", types, genes, (i, k) => sim.A[i, k]);
        CsvTable.Write(folder.File("truth_W.csv"), "type", bulk, types, (k, j) => sim.W[k, j]);
        CsvTable.Write(folder.File("truth_S.csv"), "cell", genes, cells, (c, i) => sim.S[i, c]);
        CsvTable.Write(folder.File("truth_cells.csv"), "cell", ["type", "kappa", "tau"], cells,
            (c, v) => v switch { 0 => sim.CellTypes[c], 1 => sim.Kappa[c], _ => sim.Tau[c] });
    }
}
