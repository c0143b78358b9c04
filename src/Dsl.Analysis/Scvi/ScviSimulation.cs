using Dsl.Runtime.Data;
using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;
using Dsl.Runtime.Special;

namespace Dsl.Analysis.Scvi;

using Dsl.Models.Scvi;

/// <summary>
/// Settings of a synthetic ZINB data set in scVI's generative form. The defaults give the benchmark set of issue 5: 3,005 x 558,
/// 7 clusters, 2 batches, about 45 % zeros (45.4 % at seed 1), no gene above 2 % of a cell's counts on average.
/// </summary>
public sealed record ScviSimulationSettings
{
    public int Cells { get; init; } = 3005;
    public int Genes { get; init; } = 558;
    public int Clusters { get; init; } = 7;
    public int Batches { get; init; } = 2;
    public int LatentDimensions { get; init; } = 10;
    public ulong Seed { get; init; } = 1;

    /// <summary>Mean total count per cell before dropout, as a multiple of the number of genes.</summary>
    public double DepthPerGene { get; init; } = 4;
}

/// <summary>Counts with their generating truth: cluster and batch labels, the ZINB mean l·ρ, and the dropout probabilities.</summary>
public sealed record ScviSimulation(CountMatrix Counts, int[] Cluster, int[] Batch, double[,] TrueMean, double[] Theta);

/// <summary>
/// Draws from scVI's generative process with known parts: cluster centres in a latent space, a linear-softmax
/// decoder with gene baselines and per-batch gene effects, log-normal library sizes, gene-wise dispersions and
/// zero-inflation logits; x ~ ZINB(l·ρ, θ, π) by Gamma-Poisson.
/// </summary>
public static class ScviSimulator
{
    public static ScviSimulation Simulate(ScviSimulationSettings settings)
    {
        int n = settings.Cells, g = settings.Genes, d = settings.LatentDimensions;
        var random = new RandomStream(settings.Seed, 0x5C71);
        var centres = Matrix(settings.Clusters, d, 2.0, ref random);
        var loadings = Matrix(d, g, 0.5 / Math.Sqrt(d), ref random);
        var baseline = Matrix(1, g, 0.5, ref random);
        var batchEffect = Matrix(settings.Batches, g, 0.3, ref random);
        var theta = new double[g];
        var dropoutLogit = new double[g];
        for (var j = 0; j < g; j++)
        {
            theta[j] = 0.5 + Gamma.Sample(2, ref random);
            dropoutLogit[j] = -1.5 + 0.5 * random.NextNormal();
        }
        var cluster = new int[n];
        var batch = new int[n];
        var mean = new double[n, g];
        var counts = new CsrBuilder(n, g);
        var logits = new double[g];
        var z = new double[d];
        for (var c = 0; c < n; c++)
        {
            cluster[c] = (int)(random.NextDouble() * settings.Clusters);
            batch[c] = (int)(random.NextDouble() * settings.Batches);
            for (var k = 0; k < d; k++) z[k] = centres[cluster[c], k] + 0.5 * random.NextNormal();
            var max = double.NegativeInfinity;
            for (var j = 0; j < g; j++)
            {
                var logit = baseline[0, j] + batchEffect[batch[c], j];
                for (var k = 0; k < d; k++) logit += z[k] * loadings[k, j];
                logits[j] = logit;
                max = Math.Max(max, logit);
            }
            var total = 0.0;
            for (var j = 0; j < g; j++) total += logits[j] = Math.Exp(logits[j] - max);
            var library = settings.DepthPerGene * g * Math.Exp(0.3 * random.NextNormal());
            var empty = true;
            for (var j = 0; j < g; j++)
            {
                mean[c, j] = library * logits[j] / total;
                if (random.NextDouble() < SpecialFunctions.Logistic(dropoutLogit[j])) continue;
                var rate = Gamma.Sample(theta[j], ref random) * mean[c, j] / theta[j];
                var count = Poisson.Sample(rate, ref random);
                counts.Add(c, j, count);
                empty &= count == 0;
            }
            // A cell with no counts at all is invalid input for every model; give it one read of its first gene.
            if (empty) counts.Add(c, 0, 1);
        }
        var matrix = counts.Build(Enumerable.Range(0, n).Select(c => $"cell{c + 1}").ToArray(), Enumerable.Range(0, g).Select(j => $"gene{j + 1}").ToArray());
        return new ScviSimulation(matrix, cluster, batch, mean, theta);
    }

    private static double[,] Matrix(int rows, int columns, double sd, ref RandomStream random)
    {
        var m = new double[rows, columns];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++) m[i, j] = sd * random.NextNormal();
        return m;
    }
}
