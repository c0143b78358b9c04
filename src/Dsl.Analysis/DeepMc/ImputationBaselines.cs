using Dsl.Runtime.Random;

namespace Dsl.Analysis.DeepMc;

using Dsl.Models.DeepMc;

/// <summary>
/// The simple imputations deepMc is compared with, on Y (cells × genes, row-major, zeros missing): each gene's mean
/// over its measured entries, and the classical low-rank factorisation fitted by alternating least squares.
/// </summary>
public static class ImputationBaselines
{
    /// <summary>Every entry of a gene gets the mean of its measured (non-zero) entries; 0 for a gene measured nowhere.</summary>
    public static double[] GeneMeans(double[] y, int cells, int genes)
    {
        var (sums, counts) = (new double[genes], new int[genes]);
        for (var c = 0; c < cells; c++)
            for (var g = 0; g < genes; g++)
                if (y[c * genes + g] != 0)
                {
                    sums[g] += y[c * genes + g];
                    counts[g]++;
                }
        var completed = new double[cells * genes];
        for (var c = 0; c < cells; c++)
            for (var g = 0; g < genes; g++) completed[c * genes + g] = counts[g] == 0 ? 0 : sums[g] / counts[g];
        return completed;
    }

    /// <summary>
    /// Y ≈ U Vᵀ of the given rank on the measured entries (Wen, Yin and Zhang's low-rank factorisation model, the
    /// paper's reference [17]): alternately each cell's row of U and each gene's row of V by least squares over that
    /// row's measured entries. <paramref name="ridge"/> only keeps the small systems solvable (a row measured fewer
    /// times than the rank); it is not a regulariser of the fit.
    /// </summary>
    public static double[] AlternatingLeastSquares(double[] y, int cells, int genes, int rank, int sweeps = 100, double ridge = 1e-3, ulong seed = 1)
    {
        var random = new RandomStream(seed, 0);
        var u = Enumerable.Range(0, cells * rank).Select(_ => 0.1 * random.NextNormal()).ToArray();
        var v = Enumerable.Range(0, genes * rank).Select(_ => 0.1 * random.NextNormal()).ToArray();
        for (var sweep = 0; sweep < sweeps; sweep++)
        {
            Solve(y, cells, genes, rank, ridge, v, u, byRow: true);
            Solve(y, cells, genes, rank, ridge, u, v, byRow: false);
        }
        var completed = new double[cells * genes];
        for (var c = 0; c < cells; c++)
            for (var g = 0; g < genes; g++)
                for (var k = 0; k < rank; k++) completed[c * genes + g] += u[c * rank + k] * v[g * rank + k];
        return completed;
    }

    /// <summary>Each row of <paramref name="target"/> (a cell's with byRow, else a gene's) by ridge least squares against the fixed factor.</summary>
    private static void Solve(double[] y, int cells, int genes, int rank, double ridge, double[] fixedFactor, double[] target, bool byRow)
    {
        var rows = byRow ? cells : genes;
        var others = byRow ? genes : cells;
        var normal = new double[rank * rank];
        var right = new double[rank];
        for (var r = 0; r < rows; r++)
        {
            Array.Clear(normal);
            Array.Clear(right);
            for (var k = 0; k < rank; k++) normal[k * rank + k] = ridge;
            for (var o = 0; o < others; o++)
            {
                var value = byRow ? y[r * genes + o] : y[o * genes + r];
                if (value == 0) continue;
                for (var a = 0; a < rank; a++)
                {
                    right[a] += fixedFactor[o * rank + a] * value;
                    for (var b = 0; b < rank; b++) normal[a * rank + b] += fixedFactor[o * rank + a] * fixedFactor[o * rank + b];
                }
            }
            Runtime.Special.Cholesky.Factor(normal, rank, "a row's normal equations");
            Runtime.Special.Cholesky.Solve(normal, right, rank);
            for (var k = 0; k < rank; k++) target[r * rank + k] = right[k];
        }
    }
}
