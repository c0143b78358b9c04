using Dsl.Analysis.Scvi;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Scvi;

/// <summary>Writes synthetic scVI data: counts.csv (cells x genes), cells.csv (batch, cluster) and the generating truth.</summary>
public static class ScviSimulationWriter
{
    public static void Write(OutputFolder folder, ScviSimulation simulation)
    {
        var counts = simulation.Counts;
        var path = folder.File("counts.csv");
        var temporary = path + ".partial";
        MatrixWriter.WriteDense(counts, temporary);
        File.Move(temporary, path, overwrite: true);
        AtomicFile.WriteText(folder.File("cells.csv"),
            "cell,batch,cluster\n" + string.Concat(Enumerable.Range(0, counts.Cells).Select(c => $"{counts.CellNames[c]},batch{simulation.Batch[c]},cluster{simulation.Cluster[c]}\n")));
        CsvTable.Write(folder.File("truth_mean.csv"), "cell", counts.GeneNames, counts.CellNames, (c, g) => simulation.TrueMean[c, g]);
        CsvTable.Write(folder.File("truth_theta.csv"), "gene", ["theta"], counts.GeneNames, (g, _) => simulation.Theta[g]);
    }
}
