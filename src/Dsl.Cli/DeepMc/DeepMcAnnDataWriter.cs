using Dsl.Analysis.DeepMc;
using Dsl.Runtime.Data;
using Dsl.Runtime.Data.AnnData;

namespace Dsl.Cli.DeepMc;

/// <summary>
/// `--out-h5ad` for deepMc: the fitted cells and genes as AnnData, X the input's values, with layers["deepmc_imputed"]
/// (the completed matrix on the input's scale, as imputed.csv holds it) and layers["deepmc_log_expression"] (the
/// model's E[Y] on the log2 scale it was fitted on, every entry), and the settings in uns["dsl_deepmc"].
/// </summary>
public static class DeepMcAnnDataWriter
{
    /// <remarks>Fitted from an .h5ad whose genes were all kept, the file written is that file with these added; otherwise a new file of the fitted genes.</remarks>
    public static void Write(string path, string countsPath, CountMatrix counts, DeepMcInputs inputs, DeepMcFit fit, DeepMcRequest request, TextWriter messages)
    {
        var (cells, genes) = (inputs.Cells, inputs.Genes);
        var source = AnnDataOutput.SourceFor(countsPath);
        if (source is not null && genes != counts.Genes)
        {
            messages.WriteLine($"note: the fit kept {genes} of the {counts.Genes} genes of {source}, so {path} holds only the fitted genes, not a copy of {source}");
            source = null;
        }
        var kept = new double[cells, genes];
        var row = new double[counts.Genes];
        for (var c = 0; c < cells; c++)
        {
            counts.Densify(c, row);
            for (var g = 0; g < genes; g++) kept[c, g] = row[inputs.Columns[g]];
        }
        var content = new AnnDataContent(CountMatrix.FromDense(kept, inputs.CellNames, inputs.GeneNames).WithMetadata(counts.Metadata), source);
        var (imputed, log) = (new float[cells, genes], new float[cells, genes]);
        for (var c = 0; c < cells; c++)
            for (var g = 0; g < genes; g++)
            {
                var at = c * genes + g;
                imputed[c, g] = (float)DeepMcFitRunner.Imputed(inputs, fit, c, g, request.AllEntries);
                log[c, g] = (float)fit.Completed[at];
            }
        content.Layers["deepmc_imputed"] = imputed;
        content.Layers["deepmc_log_expression"] = log;
        content.Uns["dsl_deepmc"] = new Dictionary<string, object>
        {
            ["layers"] = (long)request.Layers, ["widths"] = fit.Widths.Select(w => (double)w).ToArray(), ["preprocessed"] = request.Preprocess,
            ["all_entries_predicted"] = request.AllEntries, ["seed"] = (long)request.Options.Seed, ["data_fingerprint"] = DeepMcFitter.Fingerprint(inputs),
        };
        AnnDataOutput.Write(path, content, messages);
    }
}
