using System.Diagnostics;
using Dsl.Runtime.Evaluation;
using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Dsl.Runtime.Variational;

namespace Dsl.Analysis.Scvi;

using Dsl.Models.Scvi;

/// <summary>Settings of scVI's benchmark (Methods 4.7); the defaults are the paper's.</summary>
public sealed record ScviEvaluationSettings
{
    /// <summary>Share of the cells held out of training; their log p(x) is estimated by importance sampling.</summary>
    public double TestFraction { get; init; } = 0.1;
    public int ImportanceSamples { get; init; } = 100;

    /// <summary>Share of entries each imputation corruption touches, and the binomial keep rate.</summary>
    public double CorruptedShare { get; init; } = 0.1;
    public double DownsampleKeep { get; init; } = 0.2;

    /// <summary>Random starts of k-means on the latent (200 in the paper "to have a stable score").</summary>
    public int KMeansStarts { get; init; } = 200;

    /// <summary>Run the two imputation benchmarks (each a further fit on corrupted counts).</summary>
    public bool Imputation { get; init; } = true;
}

/// <summary>Clustering of the latent means against reference labels.</summary>
public sealed record ClusterScores(int Labels, double Silhouette, double AdjustedRandIndex, double NormalizedMutualInformation);

/// <summary>Median |x − imputed| at the corrupted entries, next to a baseline imputing each gene's mean count.</summary>
public sealed record ImputationScore(string Corruption, int Entries, double MedianL1, double GeneMeanMedianL1);

/// <param name="HeldOutCellNames">the held-out cells, so another implementation can be scored on the same ones</param>
public sealed record ScviEvaluationReport(
    int TrainingCells, int TestCells, int Epochs, double HeldOutLogLikelihood, double HeldOutElbo,
    ClusterScores? Clustering, double? BatchMixingEntropy, IReadOnlyList<ImputationScore> Imputation, double Seconds,
    IReadOnlyList<string> HeldOutCellNames);

/// <summary>
/// The scVI benchmark of Methods 4.7 on one data set: a fit on the training cells scored by the held-out marginal
/// log-likelihood (importance sampling with q as proposal) and by its latent space, then a fit on each corrupted copy
/// of all cells scored by the median L1 error of the count mean l·ρ at the corrupted entries.
/// </summary>
public static class ScviEvaluation
{
    public static ScviEvaluationReport Run(ScviInputs inputs, IReadOnlyList<int>? labels, VariationalOptions options, ScviEvaluationSettings settings,
        Action<string>? report = null, IProgress<EpochRecord>? progress = null, int latent = ScviFitter.DefaultLatent,
        ScviLikelihood likelihood = ScviLikelihood.Zinb)
    {
        var clock = Stopwatch.StartNew();
        var (training, test) = Split(inputs.Counts.Cells, settings.TestFraction, options.Seed);
        report?.Invoke($"fitting on {training.Length} cells, holding out {test.Length}");
        var fit = ScviFitter.Fit(inputs.SelectCells(training), options, progress: progress, latent: latent, likelihood: likelihood);
        var prior = new LibraryPrior(fit.Model.Read("libraryLogMean"), fit.Model.Read("libraryLogVar"));
        var heldOut = ScviFitter.Prepare(inputs.SelectCells(test), latent, prior, likelihood);
        var scorer = ScviFitter.Transfer(fit.Variational, heldOut);
        var cells = Enumerable.Range(0, test.Length).ToArray();
        report?.Invoke($"importance sampling log p(x) of the held-out cells ({settings.ImportanceSamples} draws each)");
        var logLikelihood = ImportanceSampling.MarginalLogLikelihood(scorer, cells, settings.ImportanceSamples, options.Seed ^ 0x1517).Average();
        var elbo = ImportanceSampling.MarginalLogLikelihood(scorer, cells, 1, options.Seed ^ 0x1517).Average();

        var everyone = ScviFitter.Prepare(inputs, latent, prior, likelihood);
        var estimates = ScviFitter.Estimate(everyone, ScviFitter.Transfer(fit.Variational, everyone));
        var clustering = labels is null ? null : Cluster(estimates.Latent, inputs.Counts.Cells, latent, labels, settings.KMeansStarts, options.Seed);
        double? mixing = inputs.BatchLevels.Count < 2 ? null
            : LatentGeometry.BatchMixingEntropy(estimates.Latent, inputs.Counts.Cells, latent, inputs.Batch, seed: options.Seed);

        var imputation = new List<ImputationScore>();
        if (settings.Imputation)
        {
            var zeroed = Corruption.ZeroNonZeros(inputs.Counts, settings.CorruptedShare, options.Seed ^ 0x2E40);
            imputation.Add(Impute("zeroed non-zeros", inputs, zeroed, options, latent, likelihood, report, progress));
            var downsampled = Corruption.Downsample(inputs.Counts, settings.CorruptedShare, settings.DownsampleKeep, options.Seed ^ 0xB170);
            imputation.Add(Impute("binomial downsampling", inputs, downsampled, options, latent, likelihood, report, progress));
        }
        return new ScviEvaluationReport(training.Length, test.Length, fit.Run.History.Count, logLikelihood, elbo, clustering, mixing, imputation, clock.Elapsed.TotalSeconds,
            test.Select(c => inputs.Counts.CellNames[c]).ToList());
    }

    /// <summary>A seeded split of the cells into training and held-out sets, each in increasing order.</summary>
    public static (int[] Training, int[] Test) Split(int cells, double testFraction, ulong seed)
    {
        if (testFraction <= 0 || testFraction >= 1) throw new ArgumentOutOfRangeException(nameof(testFraction), "the held-out share must be in (0, 1)");
        var order = Enumerable.Range(0, cells).ToArray();
        var random = new RandomStream(seed, 0x7E57);
        for (var i = cells - 1; i > 0; i--)
        {
            var j = Math.Min((int)(random.NextDouble() * (i + 1)), i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var testCount = Math.Max(1, (int)Math.Round(testFraction * cells));
        if (testCount >= cells) throw new ArgumentException($"{cells} cells are too few to hold out {testFraction:P0} of them");
        var test = order[..testCount];
        var training = order[testCount..];
        Array.Sort(test);
        Array.Sort(training);
        return (training, test);
    }

    private static ClusterScores Cluster(float[] latent, int cells, int dimensions, IReadOnlyList<int> labels, int starts, ulong seed)
    {
        var groups = labels.Distinct().Count();
        var found = KMeans.Cluster(latent, cells, dimensions, groups, starts, seed);
        return new ClusterScores(groups, LatentGeometry.Silhouette(latent, cells, dimensions, labels),
            ClusterAgreement.AdjustedRandIndex(found, labels), ClusterAgreement.NormalizedMutualInformation(found, labels));
    }

    private static ImputationScore Impute(string name, ScviInputs inputs, CorruptedCounts corruption, VariationalOptions options, int latent,
        ScviLikelihood likelihood, Action<string>? report, IProgress<EpochRecord>? progress)
    {
        report?.Invoke($"fitting on counts with {name} ({corruption.Original.Length} entries)");
        var corrupted = inputs.WithCounts(corruption.Counts);
        var fit = ScviFitter.Fit(corrupted, options, progress: progress, latent: latent, prior: LibraryPrior.FromData(corrupted), likelihood: likelihood);
        var estimates = ScviFitter.Estimate(fit.Model, fit.Variational);
        var genes = inputs.Counts.Genes;
        var geneMeans = new double[genes];
        var values = corruption.Counts;
        for (var c = 0; c < values.Cells; c++)
        {
            var columns = values.RowColumns(c);
            var row = values.RowValues(c);
            for (var k = 0; k < columns.Length; k++) geneMeans[columns[k]] += row[k] / values.Cells;
        }
        return new ImputationScore(name, corruption.Original.Length, Corruption.MedianL1(corruption, estimates.Imputed, genes),
            Corruption.MedianL1(corruption, (_, gene) => geneMeans[gene]));
    }
}
