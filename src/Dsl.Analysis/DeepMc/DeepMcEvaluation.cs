using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Evaluation;
using Dsl.Runtime.Optimisation;
using Dsl.Runtime.Random;
using Dsl.Runtime.Variational;

namespace Dsl.Analysis.DeepMc;

using Dsl.Models.DeepMc;

public sealed record DeepMcEvaluationSettings
{
    /// <summary>Depths to score side by side (the paper's Figure 2 compares 1, 2 and 3).</summary>
    public IReadOnlyList<int> Layers { get; init; } = [1, 2, 3];

    /// <summary>Share of Y's non-zero entries hidden (set to zero) and scored.</summary>
    public double HiddenShare { get; init; } = 0.1;

    public int KMeansStarts { get; init; } = 20;

    /// <summary>The two labels whose cell-type separability is scored (null: the two largest groups).</summary>
    public (string A, string B)? Pair { get; init; }

    /// <summary>Also score scVI's imputation (a VI fit of the raw counts of the same genes; needs raw counts).</summary>
    public bool Scvi { get; init; } = true;

    public int ScviEpochs { get; init; } = 400;

    public ulong Seed { get; init; } = 1;
}

/// <summary>One method's imputation of the hidden entries, on Y's log scale.</summary>
public sealed record HiddenEntryScore(string Method, double MedianL1, double Rmse);

/// <summary>One expression matrix's clustering (k-means ARI against the labels) and the cell-type separability of the chosen pair.</summary>
public sealed record SeparationScore(string Method, double KMeansAri, double Cts);

public sealed record DeepMcEvaluationReport(int Cells, int Genes, int HiddenEntries, int Clusters, string PairA, string PairB,
    IReadOnlyList<HiddenEntryScore> Imputation, IReadOnlyList<SeparationScore> Separation, double Seconds);

/// <summary>
/// The paper's evaluation on labelled data (§3.2, §3.4) and an imputation benchmark: 10 % of Y's non-zero entries are
/// hidden, every method completes the corrupted Y, and each is scored on the hidden entries by the median absolute
/// error and the root mean square error (log2 scale); k-means on log expression (k = number of labels, several
/// starts) is scored by ARI before and after each depth's imputation of the full Y, and so is the cell-type
/// separability (CTS: the mean of the two groups' median within-group Pearson correlations between cells, minus the
/// median between-group correlation).
/// </summary>
public static class DeepMcEvaluation
{
    public static DeepMcEvaluationReport Run(DeepMcInputs inputs, CountMatrix? rawCounts, IReadOnlyList<int> labels, IReadOnlyList<string> levels,
        DeepMcEvaluationSettings settings, PointEstimationOptions options, Func<int, IReadOnlyList<int>> widths, Action<string>? note)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (cells, genes) = (inputs.Cells, inputs.Genes);
        var (a, b) = Pair(labels, levels, settings.Pair);
        var (corrupted, hidden) = Hide(inputs.Expression, settings.HiddenShare, settings.Seed);
        if (hidden.Length == 0) throw new ArgumentException("Y has no non-zero entries to hide");
        var imputation = new List<HiddenEntryScore>();
        void Score(string method, double[] completed) => imputation.Add(ScoreHidden(method, inputs.Expression, completed, hidden));
        var onCorrupted = inputs.WithExpression(corrupted);
        Score("gene means", ImputationBaselines.GeneMeans(corrupted, cells, genes));
        var rank = widths(1)[0];
        Score($"1-layer ALS (rank {rank})", ImputationBaselines.AlternatingLeastSquares(corrupted, cells, genes, rank, seed: settings.Seed));
        foreach (var depth in settings.Layers)
        {
            note?.Invoke($"deepMc {depth} layer(s) on the corrupted matrix");
            Score($"deepMc {depth}L ({string.Join("-", widths(depth))})", DeepMcFitter.Fit(onCorrupted, depth, widths(depth), options, null, null).Completed);
        }
        // scVI models raw counts: it is scored only where the input holds integers.
        if (settings.Scvi && rawCounts is { IsInteger: true } && inputs.Preprocessed)
        {
            note?.Invoke("scVI on the corrupted raw counts");
            Score("scVI", ScviOnLogScale(inputs, rawCounts, hidden, settings));
        }
        var clusters = levels.Count;
        var separation = new List<SeparationScore> { Separation("no imputation", inputs.Expression, cells, genes, labels, clusters, a, b, settings) };
        foreach (var depth in settings.Layers)
        {
            note?.Invoke($"deepMc {depth} layer(s) on the full matrix");
            // The paper clusters the recovered matrix X = D₁⋯Z itself (eq. 5), every entry the model's.
            var recovered = DeepMcFitter.Fit(inputs, depth, widths(depth), options, null, null).Completed;
            separation.Add(Separation($"deepMc {depth}L", recovered, cells, genes, labels, clusters, a, b, settings));
        }
        return new DeepMcEvaluationReport(cells, genes, hidden.Length, clusters, levels[a], levels[b], imputation, separation, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A seeded share of the non-zero entries set to zero; returns the corrupted copy and the hidden positions.</summary>
    public static (double[] Corrupted, int[] Hidden) Hide(double[] y, double share, ulong seed)
    {
        var random = new RandomStream(seed, 0x41DE);
        var hidden = Enumerable.Range(0, y.Length).Where(e => y[e] != 0 && random.NextDouble() < share).ToArray();
        var corrupted = (double[])y.Clone();
        foreach (var e in hidden) corrupted[e] = 0;
        return (corrupted, hidden);
    }

    private static HiddenEntryScore ScoreHidden(string method, double[] truth, double[] completed, int[] hidden)
    {
        var errors = hidden.Select(e => Math.Abs(completed[e] - truth[e])).ToArray();
        return new HiddenEntryScore(method, Corruption.Median(errors), Math.Sqrt(errors.Average(x => x * x)));
    }

    /// <summary>scVI's count means l·ρ for the kept genes' raw counts (hidden entries zeroed), put on Y's scale: log2(1 + μ/l_c·median).</summary>
    private static double[] ScviOnLogScale(DeepMcInputs inputs, CountMatrix raw, int[] hidden, DeepMcEvaluationSettings settings)
    {
        var (cells, genes) = (inputs.Cells, inputs.Genes);
        var dense = new double[cells, genes];
        var row = new double[raw.Genes];
        for (var c = 0; c < cells; c++)
        {
            raw.Densify(c, row);
            for (var g = 0; g < genes; g++) dense[c, g] = row[inputs.Columns[g]];
        }
        foreach (var e in hidden) dense[e / genes, e % genes] = 0;
        var counts = CountMatrix.FromDense(dense, inputs.CellNames, inputs.GeneNames);
        var fit = ScviFitter.Fit(new ScviInputs(counts, new int[cells], ["all"]), new VariationalOptions { Epochs = settings.ScviEpochs, Seed = settings.Seed });
        var means = ScviFitter.Estimate(fit.Model, fit.Variational).Imputed;
        return Enumerable.Range(0, cells * genes).Select(e => Math.Log2(1 + means[e] / inputs.LibrarySizes[e / genes] * inputs.MedianLibrary)).ToArray();
    }

    private static SeparationScore Separation(string method, double[] expression, int cells, int genes, IReadOnlyList<int> labels, int clusters, int a, int b,
        DeepMcEvaluationSettings settings)
    {
        var points = expression.Select(x => (float)x).ToArray();
        var assigned = KMeans.Cluster(points, cells, genes, clusters, settings.KMeansStarts, settings.Seed);
        return new SeparationScore(method, ClusterAgreement.AdjustedRandIndex(assigned, labels), CellTypeSeparability(expression, cells, genes, labels, a, b));
    }

    /// <summary>§3.4: mean over the two groups of the median within-group Pearson correlation, minus the median between-group correlation.</summary>
    public static double CellTypeSeparability(double[] expression, int cells, int genes, IReadOnlyList<int> labels, int a, int b)
    {
        double Correlation(int i, int j) => Pearson(expression.AsSpan(i * genes, genes), expression.AsSpan(j * genes, genes));
        var groupA = Enumerable.Range(0, cells).Where(c => labels[c] == a).ToArray();
        var groupB = Enumerable.Range(0, cells).Where(c => labels[c] == b).ToArray();
        double Within(int[] group) => Corruption.Median(group.SelectMany((i, n) => group.Skip(n + 1).Select(j => Correlation(i, j))).ToArray());
        var between = Corruption.Median(groupA.SelectMany(i => groupB.Select(j => Correlation(i, j))).ToArray());
        return (Within(groupA) + Within(groupB)) / 2 - between;
    }

    private static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var (mx, my) = (0.0, 0.0);
        for (var i = 0; i < x.Length; i++) (mx, my) = (mx + x[i], my + y[i]);
        (mx, my) = (mx / x.Length, my / y.Length);
        var (sxy, sxx, syy) = (0.0, 0.0, 0.0);
        for (var i = 0; i < x.Length; i++)
        {
            var (dx, dy) = (x[i] - mx, y[i] - my);
            (sxy, sxx, syy) = (sxy + dx * dy, sxx + dx * dx, syy + dy * dy);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>The pair's label codes: the named levels, or the two largest groups; each needs at least two cells.</summary>
    private static (int A, int B) Pair(IReadOnlyList<int> labels, IReadOnlyList<string> levels, (string A, string B)? pair)
    {
        if (levels.Count < 2) throw new ArgumentException($"the labels have {levels.Count} level(s); the evaluation needs at least two cell types");
        int Code(string name) => levels.ToList().IndexOf(name) is var i && i >= 0 ? i
            : throw new ArgumentException($"--pair: '{name}' is not a label; the labels are {string.Join(", ", levels)}");
        var (a, b) = pair is { } p ? (Code(p.A), Code(p.B))
            : Enumerable.Range(0, levels.Count).OrderByDescending(l => labels.Count(x => x == l)).ThenBy(l => l).Take(2).ToArray() switch { var t => (t[0], t[1]) };
        foreach (var code in new[] { a, b })
            if (labels.Count(x => x == code) < 2) throw new ArgumentException($"label '{levels[code]}' has fewer than two cells, so it has no within-group correlation");
        if (a == b) throw new ArgumentException("--pair names the same label twice; name two cell types");
        return (a, b);
    }
}
