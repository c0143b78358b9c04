using Dsl.Runtime.Models;

namespace Dsl.Analysis.Ursm;

/// <summary>A fitted URSM's estimates as plain arrays: A [gene, type], E[W] [type, bulk], E[S] [gene, cell], per-cell E[kappa], E[tau].</summary>
public sealed record UrsmEstimates(double[,] A, double[] Alpha, double[,] W, double[,] S, double[] Kappa, double[] Tau,
    double MuKappa, double VarKappa, double MuTau, double VarTau)
{
    /// <summary>The estimates of a fitted URSM, read by the declaration's node names (parameters, and latents' posterior means).</summary>
    public static UrsmEstimates From(IDeclaredModel model)
    {
        var (n, k, l, m) = (model.GetPlateSize("Gene"), model.GetPlateSize("Type"), model.GetPlateSize("Cell"), model.GetPlateSize("Bulk"));
        return new UrsmEstimates(RowMajor.ToMatrix(model.Read("A"), n, k), model.Read("alpha"), RowMajor.ToMatrix(model.PosteriorMean("W"), k, m),
            RowMajor.ToMatrix(model.PosteriorMean("S"), n, l), model.PosteriorMean("kappa"), model.PosteriorMean("tau"),
            model.ReadScalar("muKappa"), model.ReadScalar("varKappa"), model.ReadScalar("muTau"), model.ReadScalar("varTau"));
    }

    /// <summary>
    /// Observed counts with zeros inferred as dropouts (E[S] &lt; 0.5) replaced by A_{i,G_l} R_l, the expected count had the
    /// gene not dropped out (R_l: the cell's depth).
    /// </summary>
    public double[,] Impute(int[,] counts, int[] types)
    {
        var (n, l) = (counts.GetLength(0), counts.GetLength(1));
        var imputed = new double[n, l];
        for (var c = 0; c < l; c++)
        {
            var depth = 0.0;
            for (var i = 0; i < n; i++) depth += counts[i, c];
            for (var i = 0; i < n; i++) imputed[i, c] = counts[i, c] == 0 && S[i, c] < 0.5 ? A[i, types[c]] * depth : counts[i, c];
        }
        return imputed;
    }
}
