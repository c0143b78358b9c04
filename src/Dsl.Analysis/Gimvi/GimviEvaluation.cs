using Dsl.Runtime.Data;
using Dsl.Runtime.Evaluation;

namespace Dsl.Analysis.Gimvi;

using Dsl.Models.Gimvi;

/// <summary>
/// Scores of imputed spatial genes, as the gimVI tutorial scores them: per held-out gene, Spearman's correlation
/// across spatial cells between its imputed values and its measured counts; the median over genes summarises.
/// </summary>
public static class GimviEvaluation
{
    /// <summary>Per held-out gene (columns of <paramref name="heldOut"/>), Spearman between imputed[m, geneOf] and the counts.</summary>
    /// <param name="imputed">spatial cells x sequenced genes, row-major</param>
    public static double[] Spearman(CountMatrix heldOut, IReadOnlyList<int> geneOf, ReadOnlySpan<float> imputed, int sequencedGenes)
    {
        var scores = new double[heldOut.Genes];
        var (truth, guess) = (new double[heldOut.Cells], new double[heldOut.Cells]);
        for (var k = 0; k < heldOut.Genes; k++)
        {
            for (var m = 0; m < heldOut.Cells; m++)
            {
                truth[m] = heldOut[m, k];
                guess[m] = imputed[m * sequencedGenes + geneOf[k]];
            }
            scores[k] = RankCorrelation.Spearman(truth, guess);
        }
        return scores;
    }

    /// <summary>The median of the finite scores (a gene constant in every cell has none).</summary>
    public static double Median(IEnumerable<double> scores)
    {
        var finite = scores.Where(double.IsFinite).Order().ToArray();
        if (finite.Length == 0) return double.NaN;
        return finite.Length % 2 == 1 ? finite[finite.Length / 2] : (finite[finite.Length / 2 - 1] + finite[finite.Length / 2]) / 2;
    }

    /// <summary>
    /// The baseline imputation: each spatial cell takes the mean normalised expression of its k nearest sequenced cells,
    /// neighbours found by Euclidean distance of log(1 + 10⁴·frequency) over the genes both assays measure.
    /// </summary>
    /// <returns>spatial cells x sequenced genes, row-major</returns>
    public static float[] NearestNeighbours(GimviInputs inputs, int k = 20)
    {
        var (seq, spatial) = (inputs.Sequenced, inputs.Spatial);
        var shared = inputs.GeneOf;
        var seqProfiles = new double[seq.Cells * shared.Length];
        for (var n = 0; n < seq.Cells; n++)
        {
            var total = Enumerable.Range(0, shared.Length).Sum(j => seq[n, shared[j]]);
            for (var j = 0; j < shared.Length; j++) seqProfiles[n * shared.Length + j] = Math.Log(1 + 1e4 * seq[n, shared[j]] / Math.Max(total, 1));
        }
        var seqFrequencies = new double[seq.Cells * seq.Genes];
        for (var n = 0; n < seq.Cells; n++)
        {
            var total = Math.Max(seq.RowTotal(n), 1);
            var columns = seq.RowColumns(n);
            var values = seq.RowValues(n);
            for (var i = 0; i < columns.Length; i++) seqFrequencies[n * seq.Genes + columns[i]] = values[i] / total;
        }
        var imputed = new float[spatial.Cells * seq.Genes];
        var profile = new double[shared.Length];
        for (var m = 0; m < spatial.Cells; m++)
        {
            var total = spatial.RowTotal(m);
            for (var j = 0; j < shared.Length; j++) profile[j] = Math.Log(1 + 1e4 * spatial[m, j] / total);
            var neighbours = Neighbourhoods.Nearest(profile, seqProfiles, seq.Cells, shared.Length, k);
            foreach (var n in neighbours)
                for (var g = 0; g < seq.Genes; g++) imputed[m * seq.Genes + g] += (float)(seqFrequencies[n * seq.Genes + g] / neighbours.Length);
        }
        return imputed;
    }
}
