using Dsl.Runtime.Models;
using Dsl.Runtime.Random;

namespace Dsl.Analysis.Scvi;

using Dsl.Models.Scvi;

/// <summary>One gene's comparison: P(ρ_a > ρ_b) over cell pairs and draws, its Bayes factor, and the mean frequencies.</summary>
public sealed record GeneBayesFactor(int Gene, double ProbabilityFirstHigher, double BayesFactor, double MeanFirst, double MeanSecond)
{
    /// <summary>|K| > 3 (odds above e³ ≈ 20), the paper's threshold for strong evidence.</summary>
    public bool IsDifferential => Math.Abs(BayesFactor) > 3;
}

/// <summary>
/// Bayesian differential expression (scVI §2.7 and Methods 4.3): for random pairs of cells, one from each group, draw
/// z_a ~ q(z | x_a) and z_b ~ q(z | x_b), decode both with every batch s weighted by its share of the cells, and
/// estimate P(ρ_g(z_a, s) > ρ_g(z_b, s)). The Bayes factor is K = ln(p / (1 − p)). Averaging over batches finds genes
/// consistently different rather than calibrating to one batch.
/// </summary>
public static class ScviDifferentialExpression
{
    private const int Block = 256;

    public static IReadOnlyList<GeneBayesFactor> Compare(IScviModel model, IScviPosterior<float> variational, IReadOnlyList<int> first, IReadOnlyList<int> second,
        int pairs, ulong seed)
    {
        if (first.Count == 0 || second.Count == 0) throw new ArgumentException("both groups need at least one cell");
        if (pairs < 1) throw new ArgumentOutOfRangeException(nameof(pairs), "at least one cell pair");
        int genes = model.GetPlateSize("Gene"), batches = model.GetPlateSize("Batch");
        var share = new double[batches];
        var batchOf = model.Read("s");
        foreach (var b in batchOf) share[(int)b] += 1.0 / batchOf.Length;
        var higher = new double[genes];
        var sumFirst = new double[genes];
        var sumSecond = new double[genes];
        var random = new RandomStream(seed, 0xDE);
        var cellsFirst = new int[Block];
        var cellsSecond = new int[Block];
        var rhoFirst = new float[Block * genes];
        for (int start = 0, block = 0; start < pairs; start += Block, block++)
        {
            var rows = Math.Min(Block, pairs - start);
            for (var r = 0; r < rows; r++)
            {
                cellsFirst[r] = first[Math.Min((int)(random.NextDouble() * first.Count), first.Count - 1)];
                cellsSecond[r] = second[Math.Min((int)(random.NextDouble() * second.Count), second.Count - 1)];
            }
            for (var s = 0; s < batches; s++)
            {
                if (share[s] == 0) continue;
                variational.sDecoderLevel = s;
                // The same (seed, stream) gives the same draw of z for every s: only the decoder's batch changes.
                variational.Sample(cellsFirst.AsSpan(0, rows), seed, (ulong)block * 2);
                variational.rhoOutput[..(rows * genes)].CopyTo(rhoFirst);
                variational.Sample(cellsSecond.AsSpan(0, rows), seed, (ulong)block * 2 + 1);
                var rhoSecond = variational.rhoOutput;
                for (var r = 0; r < rows; r++)
                    for (var g = 0; g < genes; g++)
                    {
                        float a = rhoFirst[r * genes + g], b = rhoSecond[r * genes + g];
                        if (a > b) higher[g] += share[s];
                        sumFirst[g] += share[s] * a;
                        sumSecond[g] += share[s] * b;
                    }
            }
        }
        variational.sDecoderLevel = -1;
        // Add-half smoothing keeps K finite when every draw agrees; it bounds |K| by ln(2·pairs + 1).
        return Enumerable.Range(0, genes).Select(g => new GeneBayesFactor(g, higher[g] / pairs,
            Math.Log((higher[g] + 0.5) / (pairs - higher[g] + 0.5)), sumFirst[g] / pairs, sumSecond[g] / pairs)).ToList();
    }
}
