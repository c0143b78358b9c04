using Dsl.Runtime.Data;

namespace Dsl.Models.Ursm;

/// <summary>
/// URSM's starting values, through the generated hook (called by <c>InitializeParameters</c> after the defaults its
/// constraints give, with the data bound): A from the naive estimate of eq 4.2 where a type has cells, the bulk
/// average otherwise, marker genes zeroing the other types (section 4.5); dropout curves flat-ish around A's scale.
/// Parameters the hook leaves alone keep their defaults: alpha = 1, muKappa = 0, varKappa = 1.
/// </summary>
public partial class Ursm
{
    /// <summary>Marker genes (gene index -> type): A starts at zero for the other types. Not part of the model.</summary>
    public IReadOnlyDictionary<int, int>? Markers { get; set; }

    partial void OnStartingValues()
    {
        // Without counts (a simulation, before it draws them) the defaults stand.
        if (YCounts is null && XCounts is null) return;
        var (n, k) = (GeneCount, TypeCount);
        var naive = YCounts is { Genes: > 0 } y ? NaiveProfiles(Dense(y), GValues, k) : null;
        var bulkMean = XCounts is { Genes: > 0 } x ? BulkAverage(Dense(x)) : null;
        var floor = Descriptor.Find(nameof(A))!.Floor!.Value;
        var a = new double[n, k];
        for (var t = 0; t < k; t++)
        {
            var hasCells = naive is not null && GValues.Contains(t);
            for (var i = 0; i < n; i++) a[i, t] = hasCells ? naive![i, t] : bulkMean?[i] ?? 1.0 / n;
        }
        foreach (var (gene, type) in Markers ?? new Dictionary<int, int>())
            for (var t = 0; t < k; t++) if (t != type) a[gene, t] = 0;
        for (var t = 0; t < k; t++)
        {
            var total = 0.0;
            for (var i = 0; i < n; i++) total += a[i, t] = Math.Max(a[i, t], floor);
            for (var i = 0; i < n; i++) a[i, t] /= total;
        }
        AValues = a;
        // tau * A ~ 1 for an average gene (A ~ 1/N).
        muTauValues = n;
        varTauValues = Math.Pow(0.25 * n, 2);
    }

    /// <summary>Eq 4.2: A_ik = mean over cells of type k of Y_il / R_l.</summary>
    public static double[,] NaiveProfiles(int[,] y, int[] types, int k)
    {
        var (n, l) = (y.GetLength(0), y.GetLength(1));
        var a = new double[n, k];
        var cells = new int[k];
        for (var c = 0; c < l; c++)
        {
            var depth = 0.0;
            for (var i = 0; i < n; i++) depth += y[i, c];
            if (depth == 0) continue; // a cell without reads says nothing about its type's profile
            cells[types[c]]++;
            for (var i = 0; i < n; i++) a[i, types[c]] += y[i, c] / depth;
        }
        for (var t = 0; t < k; t++)
            for (var i = 0; i < n; i++) a[i, t] = cells[t] > 0 ? a[i, t] / cells[t] : 0;
        return a;
    }

    /// <summary>Each gene's share of a bulk sample's reads, averaged over the samples.</summary>
    public static double[] BulkAverage(int[,] x)
    {
        var (n, m) = (x.GetLength(0), x.GetLength(1));
        var mean = new double[n];
        for (var j = 0; j < m; j++)
        {
            var depth = 0.0;
            for (var i = 0; i < n; i++) depth += x[i, j];
            for (var i = 0; i < n; i++) mean[i] += depth > 0 ? x[i, j] / depth / m : 0;
        }
        return mean;
    }

    /// <summary>A stored count matrix (rows genes) as the dense genes x samples table the estimates read.</summary>
    private static int[,] Dense(CountMatrix counts)
    {
        var dense = new int[counts.Cells, counts.Genes];
        for (var row = 0; row < counts.Cells; row++)
        {
            var columns = counts.RowColumns(row);
            var values = counts.RowValues(row);
            for (var entry = 0; entry < columns.Length; entry++) dense[row, columns[entry]] = (int)values[entry];
        }
        return dense;
    }
}
