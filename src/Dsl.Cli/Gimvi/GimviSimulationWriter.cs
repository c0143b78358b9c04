using Dsl.Analysis.Gimvi;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Gimvi;

/// <summary>
/// Writes a synthetic gimVI pair: seq.csv (sequenced cells x genes), spatial.csv (spatial cells x the observed spatial
/// genes), spatial_heldout.csv (the held-out spatial genes' counts, the imputation's truth) and clusters.csv.
/// </summary>
public static class GimviSimulationWriter
{
    public static void Write(OutputFolder folder, GimviSimulation simulation)
    {
        Dense(folder.File("seq.csv"), simulation.Inputs.Sequenced);
        Dense(folder.File("spatial.csv"), simulation.Inputs.Spatial);
        Dense(folder.File("spatial_heldout.csv"), simulation.HeldOut);
        var (sequenced, spatial) = (simulation.Inputs.Sequenced, simulation.Inputs.Spatial);
        AtomicFile.WriteText(folder.File("clusters.csv"), "cell,modality,cluster\n" +
            string.Concat(Enumerable.Range(0, sequenced.Cells).Select(c => $"{sequenced.CellNames[c]},seq,cluster{simulation.SequencedCluster[c]}\n")) +
            string.Concat(Enumerable.Range(0, spatial.Cells).Select(c => $"{spatial.CellNames[c]},spatial,cluster{simulation.SpatialCluster[c]}\n")));
    }

    private static void Dense(string path, CountMatrix counts)
    {
        var temporary = path + ".partial";
        MatrixWriter.WriteDense(counts, temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
