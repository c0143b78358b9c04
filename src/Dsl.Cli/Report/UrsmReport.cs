using System.Text.Json;
using Dsl.Cli.Ursm;
using Dsl.Runtime.Inference;

namespace Dsl.Cli.Report;

/// <summary>
/// A URSM fit's report, from its output folder: the objective per EM iteration, the plate diagram, the settings and
/// convergence, a heatmap of Â, the bulk proportions W as stacked bars, the histogram of E[S] among observed zeros;
/// with a simulation's folder as truth, also Â against the true A and the dropout ROC.
/// </summary>
public static class UrsmReport
{
    public static void Build(ReportPage page, string folder, JsonElement summary, string? truth)
    {
        var elbo = OutputTable.Read(Path.Combine(folder, "elbo.csv"));
        page.Section("Objective", $"{elbo.Rows.Count} EM iterations; converged: {summary.GetProperty("converged")}.");
        page.Figure(Charts.Lines("Expected complete log-likelihood per EM iteration", "EM iteration", "Q",
            elbo.Rows.Select(r => double.Parse(r, System.Globalization.CultureInfo.InvariantCulture)).ToArray(), [("Q", elbo.NumbersOf(elbo.Column("expected_complete_loglik")))]),
            "The Monte Carlo estimate of the expected complete log-likelihood after each M-step; it levels off as EM converges.");
        page.PlateDiagram(BundledModels.GraphOf(typeof(Dsl.Models.Ursm.Ursm)));
        page.Section("Settings");
        page.Settings(summary);

        var a = OutputTable.Read(Path.Combine(folder, "A.csv"));
        page.Section("Cell-type profiles Â");
        page.Figure(Charts.Heatmap("Â: genes x cell types", "cell type", "gene", a.Matrix()), "Each column is a type's expression profile over the genes (it sums to one).");
        if (truth is not null) TruthOfA(page, a, truth);

        var w = OutputTable.Read(Path.Combine(folder, "W.csv"));
        if (w.Columns.Count > 0)
        {
            page.Section("Bulk proportions W");
            page.Figure(Charts.StackedBars("E[W]: cell-type shares of each bulk sample", "bulk sample", "share", w.Columns,
                w.Rows.Select((type, k) => (type, Enumerable.Range(0, w.Columns.Count).Select(j => w.Number(k, j)).ToArray())).ToList()),
                "Posterior mean proportions of each cell type in each bulk sample.");
        }
        Dropouts(page, folder, summary, truth);
    }

    private static void TruthOfA(ReportPage page, OutputTable a, string truth)
    {
        var trueA = OutputTable.Read(Path.Combine(truth, "truth_A.csv"));
        var fitted = a.Matrix();
        var real = trueA.Matrix();
        var xs = new List<double>();
        var ys = new List<double>();
        var groups = new List<string>();
        for (var i = 0; i < Math.Min(a.Rows.Count, trueA.Rows.Count); i++)
            for (var k = 0; k < Math.Min(a.Columns.Count, trueA.Columns.Count); k++)
            {
                xs.Add(real[i, k]);
                ys.Add(fitted[i, k]);
                groups.Add(a.Columns[k]);
            }
        page.Figure(Charts.Points("Â against the true A", "true A", "Â", xs.ToArray(), ys.ToArray(), groups), $"Truth from {truth}; points on the diagonal are recovered exactly.");
    }

    /// <summary>E[S] at the observed zeros (low: a dropout), re-reading the counts the fit recorded; with the truth, the ROC of 1 − E[S].</summary>
    private static void Dropouts(ReportPage page, string folder, JsonElement summary, string? truth)
    {
        if (!summary.TryGetProperty("inputs", out var inputs) || inputs.GetProperty("sc").ValueKind != JsonValueKind.String) return;
        var sources = inputs.Deserialize<UrsmSources>()!;
        if (!File.Exists(sources.sc))
        {
            page.Section("Dropouts", $"The single-cell counts {sources.sc} are no longer there, so the zeros cannot be found.");
            return;
        }
        var y = UrsmInputReader.Read(sources, TextWriter.Null).Inputs.SingleCell!;
        var s = OutputTable.Read(Path.Combine(folder, "S.csv")).Matrix();
        var atZeros = new List<(int Gene, int Cell, double ExpressedProbability)>();
        for (var i = 0; i < y.GetLength(0); i++)
            for (var c = 0; c < y.GetLength(1); c++)
                if (y[i, c] == 0) atZeros.Add((i, c, s[c, i]));
        page.Section("Dropouts", $"{atZeros.Count} observed zeros; E[S] is the posterior probability that the gene is expressed in the cell.");
        page.Figure(Charts.Histogram("E[S] among observed zeros", "E[S]", atZeros.Select(z => z.ExpressedProbability).ToList(), 0, 1),
            "Near 0: a true zero (not expressed); near 1: expressed but not captured (a dropout).");
        if (truth is null) return;
        var trueS = OutputTable.Read(Path.Combine(truth, "truth_S.csv")).Matrix();
        var labelled = atZeros.Select(z => (Score: 1 - z.ExpressedProbability, Dropout: trueS[z.Cell, z.Gene] == 0)).ToList();
        var (fpr, tpr, auc) = Roc(labelled);
        page.Figure(Charts.Lines($"Dropout ROC among zeros (AUC {auc:F3})", "false positive rate", "true positive rate", fpr, [("1 − E[S]", tpr), ("chance", fpr)]),
            $"Zeros the truth marks as dropouts, ranked by 1 − E[S]: AUC {auc:F3} (0.5 is chance).");
    }

    private static (double[] Fpr, double[] Tpr, double Auc) Roc(List<(double Score, bool Dropout)> scored)
    {
        scored.Sort((p, q) => q.Score.CompareTo(p.Score));
        double positives = scored.Count(s => s.Dropout), negatives = scored.Count - positives;
        if (positives == 0 || negatives == 0) return ([0, 1], [0, 1], double.NaN);
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        double tp = 0, fp = 0, auc = 0;
        for (var n = 0; n < scored.Count;)
        {
            var end = n;
            while (end < scored.Count && scored[end].Score == scored[n].Score) end++;
            for (var m = n; m < end; m++) { if (scored[m].Dropout) tp++; else fp++; }
            auc += (fp / negatives - fpr[^1]) * (tp / positives + tpr[^1]) / 2;
            fpr.Add(fp / negatives);
            tpr.Add(tp / positives);
            n = end;
        }
        return (fpr.ToArray(), tpr.ToArray(), auc);
    }
}
