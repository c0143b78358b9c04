using Dsl.Analysis.Scvi;
using Dsl.Runtime.Variational;
using Xunit;

namespace Dsl.Models.Tests.Variational;

/// <summary>What is built on a fitted scVI: transfer to other cells, batch-transformed decoding, evaluation and differential expression.</summary>
public class ScviAnalysisTests
{
    private static readonly ScviSimulation simulation = ScviSimulator.Simulate(new ScviSimulationSettings { Cells = 1000, Genes = 60, Clusters = 3, Seed = 5});
    private static ScviInputs Inputs => new(simulation.Counts, simulation.Batch, ["b0", "b1"]);
    private static readonly VariationalOptions options = new() { Epochs = 300, WarmupEpochs = 50, Seed = 7, Threads = 2, Patience = 0 };
    private static readonly Lazy<ScviFit> fit = new(() => ScviFitter.Fit(Inputs, options));

    [Fact]
    public void TransferredModelReproducesTheFittedOutputs()
    {
        var cells = Enumerable.Range(0, 50).ToArray();
        var copy = ScviFitter.Transfer(fit.Value.Variational, fit.Value.Model);
        fit.Value.Variational.Infer(cells);
        var expected = fit.Value.Variational.CountMean[..(50 * 60)].ToArray();
        copy.Infer(cells);
        Assert.Equal(expected, copy.CountMean[..(50 * 60)].ToArray());
    }

    [Fact]
    public void DecoderLevelChangesOnlyTheDecodersBatch()
    {
        var variational = ScviFitter.Transfer(fit.Value.Variational, fit.Value.Model);
        var batchOne = Enumerable.Range(0, 1000).Where(c => simulation.Batch[c] == 1).Take(20).ToArray();
        variational.Infer(batchOne);
        var own = variational.rhoOutput[..(20 * 60)].ToArray();
        var latent = variational.zPosteriorMean[..(20 * 10)].ToArray();
        variational.sDecoderLevel = 1;
        variational.Infer(batchOne);
        Assert.Equal(own, variational.rhoOutput[..(20 * 60)].ToArray());
        variational.sDecoderLevel = 0;
        variational.Infer(batchOne);
        Assert.Equal(latent, variational.zPosteriorMean[..(20 * 10)].ToArray());
        Assert.NotEqual(own, variational.rhoOutput[..(20 * 60)].ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => variational.sDecoderLevel = 2);
    }

    [Fact]
    public void BayesFactorsFindTheGenesThatDifferBetweenClusters()
    {
        var first = Enumerable.Range(0, 1000).Where(c => simulation.Cluster[c] == 0).ToArray();
        var second = Enumerable.Range(0, 1000).Where(c => simulation.Cluster[c] == 1).ToArray();
        var factors = ScviDifferentialExpression.Compare(fit.Value.Model, ScviFitter.Transfer(fit.Value.Variational, fit.Value.Model), first, second, pairs: 2000, seed: 3);
        var (truth, expressed) = TrueLogRatio(first, second);
        var called = factors.Where(f => f.IsDifferential).ToList();
        Assert.True(called.Count >= 5, $"{called.Count} genes called");
        // The called genes' direction must agree with the generating frequencies; 90 % leaves room for genes whose
        // true difference is tiny, where either sign is a fair call.
        var agreeing = called.Count(f => Math.Sign(f.BayesFactor) == Math.Sign(truth[f.Gene]));
        Assert.True(agreeing >= 0.9 * called.Count, $"{agreeing} of {called.Count} called genes have the true direction");
        // Over the genes with enough counts to tell, K ranks the genes as the true log ratio does.
        var informative = Enumerable.Range(0, 60).Where(g => expressed[g]).ToList();
        var rank = Spearman(informative.Select(g => factors[g].BayesFactor).ToArray(), informative.Select(g => truth[g]).ToArray());
        Assert.True(rank > 0.6, $"Spearman {rank:F2} over {informative.Count} genes");
    }

    [Fact]
    public void EvaluationScoresAFitAboveItsBaselines()
    {
        var report = ScviEvaluation.Run(Inputs, simulation.Cluster, options, new ScviEvaluationSettings { ImportanceSamples = 50, KMeansStarts = 10 });
        Assert.Equal(100, report.TestCells);
        Assert.Equal(900, report.TrainingCells);
        // Importance sampling with 50 draws tightens the one-draw bound by several nats per cell on 60 genes.
        Assert.True(report.HeldOutLogLikelihood > report.HeldOutElbo + 0.5, $"IS {report.HeldOutLogLikelihood} vs ELBO {report.HeldOutElbo}");
        // Three clusters two latent units apart: k-means on the latent recovers most of them.
        Assert.True(report.Clustering!.AdjustedRandIndex > 0.5, $"ARI {report.Clustering.AdjustedRandIndex}");
        Assert.True(report.Clustering.Silhouette > 0.1, $"silhouette {report.Clustering.Silhouette}");
        Assert.InRange(report.BatchMixingEntropy!.Value, 0, Math.Log(2));
        Assert.Equal(2, report.Imputation.Count);
        foreach (var score in report.Imputation)
            Assert.True(score.MedianL1 < score.GeneMeanMedianL1, $"{score.Corruption}: scVI {score.MedianL1} vs gene means {score.GeneMeanMedianL1}");
    }

    private static double Spearman(double[] x, double[] y)
    {
        static double[] Ranks(double[] v)
        {
            var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
            var ranks = new double[v.Length];
            for (var r = 0; r < order.Length; r++) ranks[order[r]] = r;
            return ranks;
        }
        double[] a = Ranks(x), b = Ranks(y);
        double ma = a.Average(), mb = b.Average();
        var covariance = a.Zip(b, (p, q) => (p - ma) * (q - mb)).Sum();
        return covariance / Math.Sqrt(a.Sum(p => (p - ma) * (p - ma)) * b.Sum(q => (q - mb) * (q - mb)));
    }

    /// <summary>
    /// Per gene: log of the mean true frequency (mean / cell total) in the first group over the second, and whether
    /// the gene is expressed enough in one group (a uniform share) for its counts to tell.
    /// </summary>
    private static (double[] LogRatio, bool[] Expressed) TrueLogRatio(int[] first, int[] second)
    {
        double[] Frequencies(int[] cells)
        {
            var sums = new double[60];
            foreach (var c in cells)
            {
                var total = Enumerable.Range(0, 60).Sum(g => simulation.TrueMean[c, g]);
                for (var g = 0; g < 60; g++) sums[g] += simulation.TrueMean[c, g] / total / cells.Length;
            }
            return sums;
        }
        var a = Frequencies(first);
        var b = Frequencies(second);
        return (Enumerable.Range(0, 60).Select(g => Math.Log(a[g] / b[g])).ToArray(), Enumerable.Range(0, 60).Select(g => Math.Max(a[g], b[g]) > 1.0 / 60).ToArray());
    }
}
