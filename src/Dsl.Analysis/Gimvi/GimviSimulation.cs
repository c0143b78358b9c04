using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;

namespace Dsl.Analysis.Gimvi;

using Dsl.Models.Gimvi;

/// <summary>
/// Settings of a synthetic scRNA-seq + spatial pair. The defaults are the head-to-head setting of the gimVI issue:
/// 3,000 sequenced cells x 500 genes (ZINB) and 4,000 spatial cells x 33 marker-like genes (Poisson, per-cell size
/// factor, per-gene platform efficiency), 7 of the 33 held out.
/// </summary>
public sealed record GimviSimulationSettings
{
    public int SequencedCells { get; init; } = 3000;
    public int SpatialCells { get; init; } = 4000;
    public int Genes { get; init; } = 500;
    public int SpatialGenes { get; init; } = 33;
    public int HeldOutGenes { get; init; } = 7;
    public int Clusters { get; init; } = 7;
    public ulong Seed { get; init; } = 1;

    /// <summary>Mean spatial count of a spatial gene in a cell before size factors and efficiencies, as a multiple of its sequencing-depth-free frequency.</summary>
    public double SpatialDepth { get; init; } = 4000;

    /// <summary>The log-normal sd of each spatial cell's size factor and of each spatial gene's platform efficiency.</summary>
    public double SizeFactorSd { get; init; } = 0.3;

    public double EfficiencySd { get; init; } = 0.5;
}

/// <summary>
/// The pair, with the spatial counts of the held-out genes (the truth imputation is scored against) and the cells' clusters.
/// <see cref="Inputs"/> holds the observed spatial genes only.
/// </summary>
public sealed record GimviSimulation(GimviInputs Inputs, CountMatrix HeldOut, int[] SequencedCluster, int[] SpatialCluster);

/// <summary>
/// Both modalities drawn from one scVI-form decoder (<see cref="ScviSimulator"/>): the first cells are sequenced with
/// ZINB noise; the rest are the spatial cells, whose marker-like genes (the most variable across cells) are counted
/// as Poisson(size factor · efficiency · depth · ρ).
/// </summary>
public static class GimviSimulator
{
    public static GimviSimulation Simulate(GimviSimulationSettings settings)
    {
        if (settings.HeldOutGenes >= settings.SpatialGenes) throw new ArgumentException("at least one spatial gene must stay observed");
        var cells = settings.SequencedCells + settings.SpatialCells;
        var source = ScviSimulator.Simulate(new ScviSimulationSettings
        {
            Cells = cells, Genes = settings.Genes, Clusters = settings.Clusters, Batches = 1, Seed = settings.Seed,
        });
        var sequencedCells = Enumerable.Range(0, settings.SequencedCells).ToArray();
        var sequenced = source.Counts.SelectCells(sequencedCells);
        var random = new RandomStream(settings.Seed, 0x6153);
        var markers = MostVariable(source.TrueMean, settings.SequencedCells, cells, settings.SpatialGenes);
        var efficiency = markers.Select(_ => Math.Exp(settings.EfficiencySd * random.NextNormal())).ToArray();
        var spatial = new CsrBuilder(settings.SpatialCells, markers.Length);
        for (var m = 0; m < settings.SpatialCells; m++)
        {
            var cell = settings.SequencedCells + m;
            var library = Enumerable.Range(0, settings.Genes).Sum(j => source.TrueMean[cell, j]);
            var size = Math.Exp(settings.SizeFactorSd * random.NextNormal());
            var empty = true;
            for (var k = 0; k < markers.Length; k++)
            {
                var count = Poisson.Sample(size * efficiency[k] * settings.SpatialDepth * source.TrueMean[cell, markers[k]] / library, ref random);
                spatial.Add(m, k, count);
                empty &= count == 0;
            }
            // A spatial cell with no counts is refused as input; give it one count of its first gene.
            if (empty) spatial.Add(m, 0, 1);
        }
        var spatialMatrix = spatial.Build(Enumerable.Range(0, settings.SpatialCells).Select(m => $"spot{m + 1}").ToArray(), markers.Select(j => sequenced.GeneNames[j]).ToArray());
        // Held-out genes: a seeded choice among the markers; the rest stay observed.
        var order = Enumerable.Range(0, markers.Length).OrderBy(_ => random.NextDouble()).ToArray();
        var held = order.Take(settings.HeldOutGenes).Order().ToArray();
        var observed = order.Skip(settings.HeldOutGenes).Order().ToArray();
        var inputs = GimviInputs.Pair(sequenced, GimviInputs.SelectGenes(spatialMatrix, observed), "the simulated sequencing counts", "the simulated spatial counts");
        return new GimviSimulation(inputs, GimviInputs.SelectGenes(spatialMatrix, held), source.Cluster[..settings.SequencedCells], source.Cluster[settings.SequencedCells..]);
    }

    /// <summary>The genes whose true means vary most (coefficient of variation) across the given cells: marker-like genes.</summary>
    private static int[] MostVariable(double[,] mean, int from, int to, int count)
    {
        var genes = mean.GetLength(1);
        var variation = new double[genes];
        for (var j = 0; j < genes; j++)
        {
            double sum = 0, squares = 0;
            for (var c = from; c < to; c++)
            {
                sum += mean[c, j];
                squares += mean[c, j] * mean[c, j];
            }
            var average = sum / (to - from);
            variation[j] = Math.Sqrt(Math.Max(squares / (to - from) - average * average, 0)) / average;
        }
        return Enumerable.Range(0, genes).OrderByDescending(j => variation[j]).Take(count).Order().ToArray();
    }
}
