using Dsl.Models.Scvi;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Scvi;

/// <summary>Writes synthetic scVI data: counts.csv (cells x genes), cells.csv (batch, cluster) and the generating truth.</summary>
public static class ScviSimulationWriter
{
    public static void Write(string folder, ScviSimulation simulation)
    {
        Directory.CreateDirectory(folder);
        var counts = simulation.Counts;
        var temporary = Path.Combine(folder, "counts.csv.partial");
        MatrixWriter.WriteDense(counts, temporary);
        File.Move(temporary, Path.Combine(folder, "counts.csv"), overwrite: true);
        AtomicFile.WriteText(Path.Combine(folder, "cells.csv"),
            "cell,batch,cluster\n" + string.Concat(Enumerable.Range(0, counts.Cells).Select(c => $"{counts.CellNames[c]},batch{simulation.Batch[c]},cluster{simulation.Cluster[c]}\n")));
        CsvTable.Write(Path.Combine(folder, "truth_mean.csv"), "cell", counts.GeneNames, counts.CellNames, (c, g) => simulation.TrueMean[c, g]);
        CsvTable.Write(Path.Combine(folder, "truth_theta.csv"), "gene", ["theta"], counts.GeneNames, (g, _) => simulation.Theta[g]);
    }
}
