using Dsl.Runtime.Data;

namespace Dsl.Analysis.DeepMc;

using Dsl.Models.DeepMc;

/// <summary>
/// What deepMc fits: Y, cells × genes row-major, on the log scale the paper imputes on, and how to carry a value back
/// to the scale of the input counts.
/// </summary>
/// <param name="Columns">each kept gene's column in the input matrix</param>
/// <param name="LibrarySizes">each cell's total over the kept expressed genes (1 where not preprocessed; the median for an empty cell)</param>
/// <param name="EmptyCells">cells with no reads in the expressed genes: nothing of them is measured, so they are kept unscaled and predicted from the prior alone</param>
public sealed record DeepMcInputs(double[] Expression, int Cells, IReadOnlyList<string> CellNames, IReadOnlyList<string> GeneNames, int[] Columns,
    double[] LibrarySizes, double MedianLibrary, bool Preprocessed, IReadOnlyList<string>? EmptyCells = null)
{
    public int Genes => GeneNames.Count;

    /// <summary>A value of Y back on the input's scale: 2^y − 1 undoes log2(1 + x), then the cell's library scaling is undone.</summary>
    public double ToInputScale(int cell, double value) => Preprocessed ? (Math.Pow(2, value) - 1) * LibrarySizes[cell] / MedianLibrary : value;

    /// <summary>The same genes and cells with other values of Y (a corrupted copy).</summary>
    public DeepMcInputs WithExpression(double[] expression) => this with { Expression = expression };
}

/// <summary>
/// The paper's preprocessing (§2.2): keep genes detected with at least 3 reads in at least 3 cells; divide each cell by
/// its total over those genes and multiply by the median total; keep the genes of highest dispersion (coefficient of
/// variation, 1,000 by default); take log2(1 + x). Without it the matrix is fitted as given (already normalised and
/// on the scale to impute on).
/// </summary>
public static class DeepMcPreprocessing
{
    public const int MinReads = 3, MinCells = 3;

    public static DeepMcInputs Prepare(CountMatrix counts, int genes, bool preprocess)
    {
        if (!preprocess)
        {
            var values = new double[counts.Cells * counts.Genes];
            for (var c = 0; c < counts.Cells; c++) counts.Densify(c, values.AsSpan(c * counts.Genes, counts.Genes));
            return new DeepMcInputs(values, counts.Cells, counts.CellNames, counts.GeneNames, Enumerable.Range(0, counts.Genes).ToArray(),
                Enumerable.Repeat(1.0, counts.Cells).ToArray(), 1, false);
        }
        var detected = new int[counts.Genes];
        for (var c = 0; c < counts.Cells; c++)
        {
            var columns = counts.RowColumns(c);
            var entries = counts.RowValues(c);
            for (var k = 0; k < columns.Length; k++)
                if (entries[k] >= MinReads) detected[columns[k]]++;
        }
        var expressed = Enumerable.Range(0, counts.Genes).Where(g => detected[g] >= MinCells).ToArray();
        if (expressed.Length == 0)
            throw new ArgumentException($"no gene has at least {MinReads} reads in at least {MinCells} cells, so nothing is left to impute; check that these are raw counts, or fit them as given with --no-preprocess");
        var keep = new bool[counts.Genes];
        foreach (var g in expressed) keep[g] = true;
        var libraries = new double[counts.Cells];
        for (var c = 0; c < counts.Cells; c++)
        {
            var columns = counts.RowColumns(c);
            var entries = counts.RowValues(c);
            for (var k = 0; k < columns.Length; k++)
                if (keep[columns[k]]) libraries[c] += entries[k];
        }
        var empty = Enumerable.Range(0, counts.Cells).Where(c => libraries[c] <= 0).ToList();
        if (empty.Count == counts.Cells) throw new ArgumentException($"no cell has reads in the {expressed.Length} expressed genes");
        // The median of the cells with reads; an empty cell is left unscaled (all its entries are missing anyway).
        var median = Runtime.Evaluation.Corruption.Median(libraries.Where(l => l > 0).ToArray());
        foreach (var c in empty) libraries[c] = median;
        // Normalised expression of the expressed genes, then each one's coefficient of variation across cells.
        var normalised = new double[counts.Cells * expressed.Length];
        var position = new int[counts.Genes];
        for (var j = 0; j < expressed.Length; j++) position[expressed[j]] = j;
        for (var c = 0; c < counts.Cells; c++)
        {
            var columns = counts.RowColumns(c);
            var entries = counts.RowValues(c);
            for (var k = 0; k < columns.Length; k++)
                if (keep[columns[k]]) normalised[c * expressed.Length + position[columns[k]]] = entries[k] / libraries[c] * median;
        }
        var dispersion = new double[expressed.Length];
        for (var j = 0; j < expressed.Length; j++)
        {
            var (sum, squares) = (0.0, 0.0);
            for (var c = 0; c < counts.Cells; c++)
            {
                var x = normalised[c * expressed.Length + j];
                sum += x;
                squares += x * x;
            }
            var mean = sum / counts.Cells;
            dispersion[j] = Math.Sqrt(Math.Max(squares / counts.Cells - mean * mean, 0)) / mean;
        }
        // Highest dispersion first; ties by the input order, so the choice is deterministic. Kept in the input's order.
        var chosen = Enumerable.Range(0, expressed.Length).OrderByDescending(j => dispersion[j]).ThenBy(j => j).Take(genes).Order().ToArray();
        var expression = new double[counts.Cells * chosen.Length];
        for (var c = 0; c < counts.Cells; c++)
            for (var j = 0; j < chosen.Length; j++)
                expression[c * chosen.Length + j] = Math.Log2(1 + normalised[c * expressed.Length + chosen[j]]);
        var kept = chosen.Select(j => expressed[j]).ToArray();
        return new DeepMcInputs(expression, counts.Cells, counts.CellNames, kept.Select(g => counts.GeneNames[g]).ToList(), kept, libraries, median, true,
            empty.Select(c => counts.CellNames[c]).ToList());
    }
}
