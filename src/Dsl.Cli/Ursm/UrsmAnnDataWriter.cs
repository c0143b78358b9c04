using Dsl.Analysis.Ursm;
using Dsl.Runtime.Data;
using Dsl.Runtime.Data.AnnData;
using Dsl.Runtime.Inference;

namespace Dsl.Cli.Ursm;

/// <summary>
/// `--out-h5ad` for URSM: the single cells as AnnData (X the counts, obs the cell type and E[κ], E[τ]) with
/// layers["ursm_dropout_prob"] (1 − E[S]: the posterior probability that the gene dropped out in the cell),
/// layers["ursm_imputed"] (zeros called dropouts replaced by the profile's expectation), and in uns the profiles A and
/// the bulk proportions W as data frames, with the settings.
/// </summary>
public static class UrsmAnnDataWriter
{
    /// <remarks>Fitted from an .h5ad of single cells, the file written is that file with these added, when the fit kept all of its genes.</remarks>
    public static void Write(string path, UrsmDataSet data, UrsmFit fit, GibbsEmOptions options, TextWriter messages)
    {
        var y = data.Inputs.SingleCell ?? throw new CliException("--out-h5ad writes the single cells; give --sc");
        var types = data.Inputs.CellTypes!;
        var estimates = UrsmEstimates.From(fit.Model);
        var (genes, cells) = (y.GetLength(0), y.GetLength(1));
        var entries = new List<(int, int, double)>();
        for (var c = 0; c < cells; c++)
            for (var i = 0; i < genes; i++)
                if (y[i, c] != 0) entries.Add((c, i, y[i, c]));
        var typeNames = CsvTable.Names("type", data.Inputs.Types);
        var metadata = new CellMetadata(cells);
        metadata.Add("ursm_type", types.Select(t => typeNames[t]).ToArray());
        var source = AnnDataOutput.SourceFor(data.Sources.sc);
        if (source is not null && !data.KeepsEverySingleCellGene)
        {
            messages.WriteLine($"note: the fit kept {genes} of the genes of {source} (those shared with the bulk), so {path} holds only the fit's genes, not a copy of {source}");
            source = null;
        }
        var content = new AnnDataContent(CountMatrix.FromTriplets(cells, genes, entries, data.Cells, data.Genes).WithMetadata(metadata), source);
        var imputed = estimates.Impute(y, types);
        content.Layers["ursm_dropout_prob"] = CellsByGenes(genes, cells, (i, c) => 1 - estimates.S[i, c]);
        content.Layers["ursm_imputed"] = CellsByGenes(genes, cells, (i, c) => imputed[i, c]);
        content.ObsNumbers["ursm_kappa"] = estimates.Kappa;
        content.ObsNumbers["ursm_tau"] = estimates.Tau;
        content.Uns["ursm_W"] = new AnnDataFrame(data.BulkSamples, typeNames.Select((t, k) => (t, Enumerable.Range(0, data.BulkSamples.Count).Select(j => estimates.W[k, j]).ToArray())).ToList());
        content.Uns["ursm_A"] = new AnnDataFrame(data.Genes, typeNames.Select((t, k) => (t, Enumerable.Range(0, genes).Select(i => estimates.A[i, k]).ToArray())).ToList());
        content.Uns["dsl_ursm"] = new Dictionary<string, object>
        {
            ["types"] = data.Inputs.Types, ["burnin"] = options.BurnIn, ["samples"] = options.Samples, ["em_iterations"] = fit.Run.Iterations.Count,
            ["seed"] = (long)options.Seed, ["data_fingerprint"] = data.Inputs.Fingerprint(),
        };
        AnnDataOutput.Write(path, content, messages);
    }

    private static float[,] CellsByGenes(int genes, int cells, Func<int, int, double> value)
    {
        var matrix = new float[cells, genes];
        for (var c = 0; c < cells; c++)
            for (var i = 0; i < genes; i++) matrix[c, i] = (float)value(i, c);
        return matrix;
    }
}
