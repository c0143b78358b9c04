using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;
using Dsl.Runtime.Special;

namespace Dsl.Analysis.Ursm;

using Dsl.Models.Ursm;

/// <summary>The settings of the paper's simulations (section 4.1; section 4.2 uses N=200, L=100, M=150, K=3).</summary>
public sealed record UrsmSimulationSettings
{
    public int Genes { get; init; } = 200;
    public int Cells { get; init; } = 100;
    public int BulkSamples { get; init; } = 150;
    public int Types { get; init; } = 3;
    public ulong Seed { get; init; } = 1;

    /// <summary>Share of cells per type; section 4.2 uses 30%, 30%, 40% for K = 3. Default: those for K = 3, else equal.</summary>
    public double[]? TypeShares { get; init; }

    /// <summary>The Dirichlet prior of bulk mixing proportions; section 4.2 uses alpha = (1, ..., K).</summary>
    public double[]? Alpha { get; init; }

    public const int MarkersPerType = 10;
    public const int AntiMarkersPerType = 10;
    public const int Housekeeping = 30;

    public double[] Shares => TypeShares ?? (Types == 3 ? [0.3, 0.3, 0.4] : Enumerable.Repeat(1.0 / Types, Types).ToArray());

    public double[] AlphaOrDefault => Alpha ?? Enumerable.Range(1, Types).Select(k => (double)k).ToArray();
}

/// <summary>One simulated data set and the truth behind it. Matrices are indexed [gene, type], [type, bulk], [gene, cell].</summary>
public sealed record UrsmSimulation(
    UrsmSimulationSettings Settings,
    double[,] A,
    double[,] W,
    int[] CellTypes,
    double[] Kappa,
    double[] Tau,
    int[,] S,
    int[,] Y,
    int[,] X,
    int[] MarkerGenes);

/// <summary>
/// Simulates data exactly as section 4.1 of Zhu et al. (2018) describes: log-normal profiles with marker, anti-marker
/// and housekeeping genes, Dirichlet bulk proportions with Poisson(50N) depths, logistic dropouts with
/// kappa ~ N(-1, 0.5^2), tau ~ N(1.5N, (0.15N)^2), and negative binomial single-cell depths (mean 2N, dispersion 2).
/// </summary>
public static class UrsmSimulator
{
    public static UrsmSimulation Simulate(UrsmSimulationSettings settings)
    {
        var (n, k, l, m) = (settings.Genes, settings.Types, settings.Cells, settings.BulkSamples);
        var special = k * (UrsmSimulationSettings.MarkersPerType + UrsmSimulationSettings.AntiMarkersPerType) + UrsmSimulationSettings.Housekeeping;
        if (n < special + 1) throw new ArgumentException($"section 4.1 needs more than {special} genes for K = {k} (markers, anti-markers, housekeeping); got {n}");
        var random = new RandomStream(settings.Seed, stream: 0);
        var (a, markers) = Profiles(settings, ref random);

        var alpha = settings.AlphaOrDefault;
        var w = new double[k, m];
        var x = new int[n, m];
        var column = new double[k];
        var mixed = new double[n];
        var counts = new double[n];
        for (var j = 0; j < m; j++)
        {
            Dirichlet.SampleRow(alpha, column, ref random);
            for (var t = 0; t < k; t++) w[t, j] = column[t];
            for (var i = 0; i < n; i++)
            {
                mixed[i] = 0;
                for (var t = 0; t < k; t++) mixed[i] += a[i, t] * column[t];
            }
            Multinomial.SampleRow(Poisson.Sample(50.0 * n, ref random), mixed, counts, ref random);
            for (var i = 0; i < n; i++) x[i, j] = (int)counts[i];
        }

        var types = CellTypes(settings);
        var kappa = new double[l];
        var tau = new double[l];
        var s = new int[n, l];
        var y = new int[n, l];
        for (var c = 0; c < l; c++)
        {
            var g = types[c];
            double depth;
            do
            {
                kappa[c] = -1 + 0.5 * random.NextNormal();
                tau[c] = 1.5 * n + 0.15 * n * random.NextNormal();
                for (var i = 0; i < n; i++)
                {
                    s[i, c] = random.NextDouble() < SpecialFunctions.Logistic(kappa[c] + tau[c] * a[i, g]) ? 1 : 0;
                    mixed[i] = a[i, g] * s[i, c];
                }
                depth = NegativeBinomial.Sample(2.0 * n, 2.0, ref random);
            }
            while (depth == 0 || mixed.Sum() == 0); // a cell must have reads for the model to see it
            Multinomial.SampleRow(depth, mixed, counts, ref random);
            for (var i = 0; i < n; i++) y[i, c] = (int)counts[i];
        }
        return new UrsmSimulation(settings, a, w, types, kappa, tau, s, y, x, markers);
    }

    /// <summary>Steps (i)-(v) of section 4.1; also returns the marker genes (type k's markers are expressed in k only).</summary>
    private static (double[,] A, int[] Markers) Profiles(UrsmSimulationSettings settings, ref RandomStream random)
    {
        var (n, k) = (settings.Genes, settings.Types);
        const int perMarker = UrsmSimulationSettings.MarkersPerType, perAnti = UrsmSimulationSettings.AntiMarkersPerType, housekeeping = UrsmSimulationSettings.Housekeeping;
        var a = new double[n, k];
        for (var i = 0; i < n; i++)
            for (var t = 0; t < k; t++) a[i, t] = Math.Exp(random.NextNormal());
        var markers = new int[n];
        Array.Fill(markers, -1);
        for (var t = 0; t < k; t++)
        {
            for (var g = 0; g < perMarker; g++)
            {
                var i = t * perMarker + g;
                markers[i] = t;
                for (var other = 0; other < k; other++) if (other != t) a[i, other] = 0;
            }
            for (var g = 0; g < perAnti; g++) a[k * perMarker + t * perAnti + g, t] = 0;
        }
        var firstHousekeeping = k * (perMarker + perAnti);
        for (var i = firstHousekeeping; i < firstHousekeeping + housekeeping; i++)
            for (var t = 1; t < k; t++) a[i, t] = a[i, 0];
        for (var t = 0; t < k; t++)
        {
            double housekeepingSum = 0, restSum = 0;
            for (var i = 0; i < n; i++)
            {
                if (i >= firstHousekeeping && i < firstHousekeeping + housekeeping) housekeepingSum += a[i, t];
                else restSum += a[i, t];
            }
            for (var i = 0; i < n; i++)
            {
                var isHousekeeping = i >= firstHousekeeping && i < firstHousekeeping + housekeeping;
                a[i, t] = isHousekeeping ? a[i, t] / housekeepingSum * housekeeping / n : a[i, t] / restSum * (1 - (double)housekeeping / n);
            }
        }
        return (a, markers);
    }

    /// <summary>Cell types in blocks by share (section 4.2: 30, 30 and 40 of 100 cells).</summary>
    private static int[] CellTypes(UrsmSimulationSettings settings)
    {
        var shares = settings.Shares;
        var types = new int[settings.Cells];
        var cumulative = 0.0;
        var c = 0;
        for (var t = 0; t < shares.Length; t++)
        {
            cumulative += shares[t];
            var end = t == shares.Length - 1 ? settings.Cells : (int)Math.Round(cumulative * settings.Cells);
            for (; c < end; c++) types[c] = t;
        }
        return types;
    }
}
