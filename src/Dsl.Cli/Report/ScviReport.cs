using System.Text.Json;
using Dsl.Runtime.Evaluation;

namespace Dsl.Cli.Report;

/// <summary>
/// An scVI fit's report, from its output folder: the ELBO per epoch (training and validation), the plate diagram of
/// the declaration fitted, the settings and convergence, a t-SNE of the latent means coloured by batch and by a label
/// column, E[l] against the observed totals, and a volcano plot of any de.csv `dsl de` wrote into the folder.
/// </summary>
public static class ScviReport
{
    /// <summary>t-SNE is O(n^2): larger fits are drawn from a seeded subsample of this many cells.</summary>
    private const int EmbeddedCells = 1000;

    public static void Build(ReportPage page, string folder, JsonElement summary)
    {
        var history = OutputTable.Read(Path.Combine(folder, "history.csv"));
        var epochs = history.Rows.Select(r => double.Parse(r, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        page.Section("Objective", $"{history.Rows.Count} epochs; stopped early: {summary.GetProperty("stopped_early")}; restarts after a NaN: {summary.GetProperty("restarts_after_nan")}.");
        page.Figure(Charts.Lines("ELBO per cell", "epoch", "ELBO", epochs,
            [("training", history.NumbersOf(history.Column("train ELBO"))), ("validation", history.NumbersOf(history.Column("validation ELBO")))]),
            "Both at full KL weight; the training ELBO is the minibatch average over the epoch.");
        var declaration = summary.GetProperty("likelihood").GetString() switch { "nb" => "ScviNb", "poisson" => "ScviPoisson", _ => "Scvi" };
        page.PlateDiagram(BundledModels.GraphOf(BundledModels.Find(declaration)!));
        page.Section("Settings");
        page.Settings(summary);
        var cellsPath = Path.Combine(folder, "cells.csv");
        if (!File.Exists(cellsPath)) return;
        var cells = OutputTable.Read(cellsPath);
        Embedding(page, OutputTable.Read(Path.Combine(folder, "latent.csv")), cells);
        Library(page, OutputTable.Read(Path.Combine(folder, "library.csv")), cells);
        var de = Path.Combine(folder, "de.csv");
        if (File.Exists(de)) Volcano(page, OutputTable.Read(de));
    }

    private static void Embedding(ReportPage page, OutputTable latent, OutputTable cells)
    {
        var n = latent.Rows.Count;
        var chosen = Enumerable.Range(0, n).ToArray();
        if (n > EmbeddedCells)
        {
            new System.Random(1).Shuffle(chosen);
            chosen = chosen[..EmbeddedCells].Order().ToArray();
        }
        if (chosen.Length < 4) return;
        var d = latent.Columns.Count;
        var points = new float[chosen.Length * d];
        for (var r = 0; r < chosen.Length; r++)
            for (var k = 0; k < d; k++) points[r * d + k] = (float)latent.Number(chosen[r], k);
        var y = Tsne.Embed(points, chosen.Length, d, seed: 1);
        var xs = Enumerable.Range(0, chosen.Length).Select(i => y[2 * i]).ToArray();
        var ys = Enumerable.Range(0, chosen.Length).Select(i => y[2 * i + 1]).ToArray();
        page.Section("Latent space", n > EmbeddedCells ? $"t-SNE of the latent means of {EmbeddedCells} of the {n} cells (a seeded subsample)." : $"t-SNE of the latent means of the {n} cells.");
        var batch = cells.Column("batch");
        page.Figure(Charts.Points("Latent space by batch", "t-SNE 1", "t-SNE 2", xs, ys, chosen.Select(c => cells.Fields[c][batch]).ToList()),
            "Well-mixed batches mean the latent does not encode the batch.");
        // A label: the first other column with a handful of levels (cell types, clusters).
        var label = cells.Columns.Select((name, index) => (name, index))
            .FirstOrDefault(c => c.name is not ("batch" or "total_counts") && cells.Fields.Select(f => f[c.index]).Distinct().Count() is > 1 and <= 30);
        if (label.name is not null)
            page.Figure(Charts.Points($"Latent space by {label.name}", "t-SNE 1", "t-SNE 2", xs, ys, chosen.Select(c => cells.Fields[c][label.index]).ToList()),
                $"Coloured by the metadata column '{label.name}'.");
    }

    private static void Library(ReportPage page, OutputTable library, OutputTable cells)
    {
        var totals = cells.NumbersOf(cells.Column("total_counts"));
        var fitted = library.NumbersOf(0);
        var kept = Enumerable.Range(0, totals.Length).Where(i => totals[i] > 0 && fitted[i] > 0).ToArray();
        page.Section("Library size");
        page.Figure(Charts.Points("E[l] against the observed total count", "log10 observed total", "log10 E[l]",
            kept.Select(i => Math.Log10(totals[i])).ToArray(), kept.Select(i => Math.Log10(fitted[i])).ToArray(), null),
            "The library size scales each cell's expected counts; it tracks the observed totals.");
    }

    private static void Volcano(ReportPage page, OutputTable de)
    {
        var fold = de.NumbersOf(de.Column("log2_fold_change"));
        var factor = de.NumbersOf(de.Column("bayes_factor"));
        var called = de.Fields.Select(f => f[de.Column("differential")]).ToList();
        page.Section("Differential expression", $"{de.Rows.Count} genes from de.csv (dsl de); |K| > 3 is called differential.");
        page.Figure(Charts.Points("Volcano: Bayes factor against fold change", "log2 fold change", "|Bayes factor K|", fold, factor.Select(Math.Abs).ToArray(),
            called.Select(c => c is "true" or "True" or "1" ? "differential" : "not").ToList()), "Genes far up are confidently different between the groups.");
    }
}
