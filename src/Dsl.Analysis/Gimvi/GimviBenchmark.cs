using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Evaluation;
using Dsl.Runtime.Random;
using Dsl.Runtime.Variational;

namespace Dsl.Analysis.Gimvi;

using Dsl.Models.Gimvi;

/// <summary>How `dsl eval gimvi` holds out genes and measures the latent space.</summary>
public sealed record GimviEvaluationSettings
{
    /// <summary>The share of spatial genes held out (the gimVI tutorial's 20 %); at least one is held out and one kept.</summary>
    public double HeldOutShare { get; init; } = 0.2;

    public int MixingNeighbours { get; init; } = 50;

    public int PurityNeighbours { get; init; } = 30;

    /// <summary>Whether to fit scVI on each set alone for the k-NN purity (two further fits).</summary>
    public bool Purity { get; init; } = true;

    public ulong Seed { get; init; } = 1;
}

/// <summary>One held-out gene's Spearman correlation under gimVI and under the nearest-neighbour baseline.</summary>
public sealed record HeldOutGeneScore(string Gene, double Gimvi, double NearestNeighbours);

/// <summary>
/// The scores of `dsl eval gimvi`: median Spearman of held-out spatial genes (gimVI and the k-NN baseline), the mixing of
/// the two sets in the joint latent (−KL, 0 is perfect) and the k-NN purity of each set's neighbourhoods against scVI
/// fitted on that set alone (§3.1).
/// </summary>
public sealed record GimviEvaluationReport(
    double Kappa, IReadOnlyList<HeldOutGeneScore> Genes, double MedianSpearman, double NearestNeighbourMedianSpearman, double Mixing,
    double? SequencedPurity, double? SpatialPurity, int Epochs, double SecondsPerEpoch, double Seconds, int Members = 1);

/// <summary>The gimVI benchmark: spatial genes held out, the pair fitted on the rest, the held-out genes imputed and scored.</summary>
public static class GimviBenchmark
{
    public static GimviEvaluationReport Run(GimviInputs inputs, SpatialLikelihood likelihood, VariationalOptions options, int latent, double? kappa,
        GimviEvaluationSettings settings, IProgress<EpochRecord>? progress = null, Action<string>? warn = null, int? members = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var spatialGenes = inputs.Spatial.Genes;
        if (spatialGenes < 2) throw new ArgumentException($"it measures {spatialGenes} gene; holding genes out needs at least two spatial genes, one to hold out and one to encode");
        var held = Math.Clamp((int)Math.Round(spatialGenes * settings.HeldOutShare), 1, spatialGenes - 1);
        var random = new RandomStream(settings.Seed, 0x6E1D);
        var order = Enumerable.Range(0, spatialGenes).OrderBy(_ => random.NextDouble()).ToArray();
        var heldGenes = order[..held].Order().ToArray();
        var kept = order[held..].Order().ToArray();
        var observed = GimviInputs.SelectGenes(inputs.Spatial, kept);
        // A spatial cell whose counts all lie in the held-out genes has nothing left to encode: scored without it.
        var measured = Enumerable.Range(0, observed.Cells).Where(m => observed.RowTotal(m) > 0).ToArray();
        if (measured.Length < observed.Cells)
            warn?.Invoke($"note: {observed.Cells - measured.Length} spatial cells have counts only in the held-out genes; they are left out of the evaluation");
        var training = GimviInputs.Pair(inputs.Sequenced, observed.SelectCells(measured));
        var truth = GimviInputs.SelectGenes(inputs.Spatial.SelectCells(measured), heldGenes);
        var truthGeneOf = heldGenes.Select(g => inputs.GeneOf[g]).ToArray();

        var fit = GimviFitter.Fit(training, likelihood, options, latent, progress: progress, warn: warn, kappa: kappa, members: members ?? GimviFitter.DefaultMembers(training));
        var genes = training.Sequenced.Genes;
        var gimvi = GimviEvaluation.Spearman(truth, truthGeneOf, fit.SpatialImputed, genes);
        var baseline = GimviEvaluation.Spearman(truth, truthGeneOf, GimviEvaluation.NearestNeighbours(training), genes);

        var (sequencedCells, spatialCells) = (training.Sequenced.Cells, training.Spatial.Cells);
        var joint = fit.SequencedLatent.Concat(fit.SpatialLatent).ToArray();
        var sets = Enumerable.Repeat(0, sequencedCells).Concat(Enumerable.Repeat(1, spatialCells)).ToArray();
        var mixing = Neighbourhoods.NegativeMixingDivergence(joint, sequencedCells + spatialCells, latent, sets, settings.MixingNeighbours, seed: settings.Seed);
        double? sequencedPurity = null, spatialPurity = null;
        if (settings.Purity)
        {
            var alone = options with { Patience = 0 };
            sequencedPurity = Neighbourhoods.Purity(fit.SequencedLatent, latent, ScviLatent(training.Sequenced, alone, latent), latent, sequencedCells, settings.PurityNeighbours);
            spatialPurity = Neighbourhoods.Purity(fit.SpatialLatent, latent, ScviLatent(training.Spatial, alone, latent), latent, spatialCells, settings.PurityNeighbours);
        }
        var scores = heldGenes.Select((g, k) => new HeldOutGeneScore(inputs.Spatial.GeneNames[g], gimvi[k], baseline[k])).ToList();
        var epochs = fit.Members.SelectMany(m => m.Run.History).ToList();
        return new GimviEvaluationReport(fit.First.Family.Discriminators.Select(d => d.Kappa).FirstOrDefault(), scores, GimviEvaluation.Median(gimvi), GimviEvaluation.Median(baseline),
            mixing, sequencedPurity, spatialPurity, fit.First.Run.History.Count, epochs.Count == 0 ? 0 : epochs.Average(h => h.Seconds), clock.Elapsed.TotalSeconds, fit.Members.Count);
    }

    /// <summary>scVI (ZINB, one batch) fitted on one set alone: its latent means, the reference neighbourhoods of the k-NN purity.</summary>
    private static float[] ScviLatent(Runtime.Data.CountMatrix counts, VariationalOptions options, int latent)
    {
        var inputs = new ScviInputs(counts, new int[counts.Cells], ["all"]);
        var fit = ScviFitter.Fit(inputs, options, latent: latent);
        return ScviFitter.Estimate(fit.Model, fit.Variational).Latent;
    }
}
