namespace Dsl.Models.Ursm;

/// <summary>A fitted URSM's estimates as plain arrays: A [gene, type], E[W] [type, bulk], E[S] [gene, cell], per-cell E[kappa], E[tau].</summary>
public sealed record UrsmEstimates(double[,] A, double[] Alpha, double[,] W, double[,] S, double[] Kappa, double[] Tau,
    double MuKappa, double VarKappa, double MuTau, double VarTau)
{
    public static UrsmEstimates From(Ursm model)
    {
        var (n, k, l, m) = (model.GeneCount, model.TypeCount, model.CellCount, model.BulkCount);
        var w = new double[k, m];
        for (var t = 0; t < k; t++)
            for (var j = 0; j < m; j++) w[t, j] = model.WPosteriorMean(new Ursm.Type(t), new Ursm.Bulk(j));
        var s = new double[n, l];
        for (var i = 0; i < n; i++)
            for (var c = 0; c < l; c++) s[i, c] = model.SPosteriorMean(new Ursm.Gene(i), new Ursm.Cell(c));
        var kappa = Enumerable.Range(0, l).Select(c => model.kappaPosteriorMean(new Ursm.Cell(c))).ToArray();
        var tau = Enumerable.Range(0, l).Select(c => model.tauPosteriorMean(new Ursm.Cell(c))).ToArray();
        return new UrsmEstimates((double[,])model.AValues.Clone(), (double[])model.alphaValues.Clone(), w, s, kappa, tau,
            model.muKappaValues, model.varKappaValues, model.muTauValues, model.varTauValues);
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
