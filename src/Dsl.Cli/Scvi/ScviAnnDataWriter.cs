using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data.AnnData;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Scvi;

/// <summary>
/// `--out-h5ad`: the input cells as AnnData with scVI's results where scvi-tools users look for them:
/// obsm["X_scVI"] (latent means), layers["scvi_normalized"] (ρ), layers["scvi_imputed"] (l·ρ), obs["scvi_library"]
/// (E[l]) and uns["dsl_scvi"] (the settings). Fitted from an .h5ad, the file written is that file with these added
/// (its X, other layers, obs columns, obsm and uns kept). The layers are dense cells x genes in memory while it is built.
/// </summary>
public static class ScviAnnDataWriter
{
    /// <param name="source">the counts file, carried over when it is an .h5ad</param>
    public static void Write(string path, string source, ScviInputs inputs, ScviFit fit, VariationalOptions options, int transformBatch, TextWriter messages)
    {
        var model = fit.Model;
        fit.Variational.sDecoderLevel = transformBatch;
        var estimates = ScviFitter.Estimate(model, fit.Variational);
        fit.Variational.sDecoderLevel = -1;
        int n = model.GetPlateSize("Cell"), g = model.GetPlateSize("Gene"), d = model.GetPlateSize("Dim");
        var content = new AnnDataContent(inputs.Counts, AnnDataOutput.SourceFor(source));
        content.Obsm["X_scVI"] = Matrix(estimates.Latent, n, d);
        content.Layers["scvi_normalized"] = Matrix(estimates.Normalized, n, g);
        content.Layers["scvi_imputed"] = Matrix(estimates.Imputed, n, g);
        content.ObsNumbers["scvi_library"] = Array.ConvertAll(estimates.Library, v => (double)v);
        content.Uns["dsl_scvi"] = new Dictionary<string, object>
        {
            ["likelihood"] = ScviVariants.Name(model.Likelihood),
            ["latent"] = d,
            ["epochs"] = fit.Run.History.Count,
            ["seed"] = (long)options.Seed,
            ["batches"] = inputs.BatchLevels,
            ["transform_batch"] = transformBatch < 0 ? "" : inputs.BatchLevels[transformBatch],
            ["data_fingerprint"] = inputs.Fingerprint(),
        };
        AnnDataOutput.Write(path, content, messages);
    }

    private static float[,] Matrix(float[] rowMajor, int rows, int columns)
    {
        var matrix = new float[rows, columns];
        Buffer.BlockCopy(rowMajor, 0, matrix, 0, rows * columns * sizeof(float));
        return matrix;
    }
}
