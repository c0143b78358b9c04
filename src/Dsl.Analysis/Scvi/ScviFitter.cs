using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Analysis.Scvi;

using Dsl.Models.Scvi;

/// <summary>Counts and the batch of each cell (all zeros for one batch).</summary>
public sealed record ScviInputs(CountMatrix Counts, int[] Batch, IReadOnlyList<string> BatchLevels)
{
    /// <summary>These cells only, with the same batch levels.</summary>
    public ScviInputs SelectCells(IReadOnlyList<int> cells) => new(Counts.SelectCells(cells), cells.Select(c => Batch[c]).ToArray(), BatchLevels);

    /// <summary>The same cells and batches with other counts (a corrupted copy).</summary>
    public ScviInputs WithCounts(CountMatrix counts) => this with { Counts = counts };

    /// <summary>The <see cref="DataFingerprint"/> of the counts and the batches.</summary>
    public string Fingerprint()
    {
        using var fingerprint = new DataFingerprint();
        return fingerprint.Add("counts", Counts).Add("batch", Batch).Add("batch levels", BatchLevels).Finish();
    }
}

/// <summary>The prior on each batch's log-library size: log l_n ~ Normal(LogMean[s_n], LogVar[s_n]).</summary>
public sealed record LibraryPrior(double[] LogMean, double[] LogVar)
{
    /// <summary>
    /// Empty cells (no counts, e.g. Visium spots with none of the chosen genes) are left out of the statistics, as
    /// scvi-tools does, and are fitted like any other cell: zeros are valid counts.
    /// </summary>
    public static LibraryPrior FromData(ScviInputs inputs)
    {
        var batches = inputs.BatchLevels.Count;
        var sums = new double[batches];
        var squares = new double[batches];
        var sizes = new int[batches];
        for (var c = 0; c < inputs.Counts.Cells; c++)
        {
            var total = inputs.Counts.RowTotal(c);
            if (total <= 0) continue;
            var log = Math.Log(total);
            sums[inputs.Batch[c]] += log;
            squares[inputs.Batch[c]] += log * log;
            sizes[inputs.Batch[c]]++;
        }
        var means = new double[batches];
        var variances = new double[batches];
        for (var b = 0; b < batches; b++)
        {
            if (sizes[b] == 0) throw new ArgumentException($"batch '{inputs.BatchLevels[b]}' has no cells with counts");
            means[b] = sums[b] / sizes[b];
            // A batch of identical depths would give the prior zero variance; floor it as a tiny positive spread.
            variances[b] = Math.Max(squares[b] / sizes[b] - means[b] * means[b], 1e-4);
        }
        return new LibraryPrior(means, variances);
    }
}

public sealed record ScviFit(IScviModel Model, IScviPosterior<float> Variational, VariationalResult Run, double Seconds);

/// <summary>Posterior summaries of every cell at the fitted networks (evaluation mode, posterior means); no θ for Poisson counts.</summary>
public sealed record ScviEstimates(float[] Latent, float[] Normalized, float[] Imputed, float[] Library, float[]? Theta);

/// <summary>Sets up the declared scVI model from counts and batches, fits it by the generic VI driver, and summarises it.</summary>
public static class ScviFitter
{
    public const int DefaultLatent = 10;

    /// <summary>The largest latent size accepted (scVI uses 10-30): a typo such as 100000 would otherwise allocate without bound.</summary>
    public const int MaxLatent = 1000;

    /// <summary>
    /// Plate sizes, counts, batches and the per-batch prior on the log-library (Methods 4.1): by default the empirical
    /// mean and variance of these cells' log totals; a reloaded model passes the prior it was trained with.
    /// </summary>
    public static IScviModel Prepare(ScviInputs inputs, int latent = DefaultLatent, LibraryPrior? prior = null, ScviLikelihood likelihood = ScviLikelihood.Zinb)
    {
        var counts = inputs.Counts;
        if (latent < 1 || latent > MaxLatent) throw new ArgumentException($"a latent size of {latent} is outside 1..{MaxLatent}");
        if (!counts.IsInteger) throw new ArgumentException("the counts hold non-integer values; scVI models raw UMI or read counts");
        if (counts.Values.Any(v => v < 0 || double.IsNaN(v))) throw new ArgumentException("the counts hold negative or NaN values");
        if (inputs.Batch.Length != counts.Cells) throw new ArgumentException($"{inputs.Batch.Length} batch labels for {counts.Cells} cells");
        prior ??= LibraryPrior.FromData(inputs);
        if (prior.LogMean.Length != inputs.BatchLevels.Count)
            throw new ArgumentException($"the library prior has {prior.LogMean.Length} batches, the data {inputs.BatchLevels.Count}");
        var model = ScviVariants.Create(likelihood);
        // The declaration binds the data: plates and nodes by their declared names, as `dsl fit Scvi.cs` binds them.
        var declared = (Runtime.Models.IDeclaredModel)model;
        declared.SetPlateSize("Cell", counts.Cells);
        declared.SetPlateSize("Gene", counts.Genes);
        declared.SetPlateSize("Dim", latent);
        declared.SetPlateSize("Batch", inputs.BatchLevels.Count);
        declared.StoreCounts("x", counts);
        declared.Store("s", inputs.Batch.Select(b => (double)b).ToArray());
        declared.Store("libraryLogMean", prior.LogMean);
        declared.Store("libraryLogVar", prior.LogVar);
        return model;
    }

    /// <summary>A trained model's networks and parameters applied to other cells (same genes and batches): for held-out data and reloading.</summary>
    public static IScviPosterior<float> Transfer(IScviPosterior<float> trained, IScviModel target)
    {
        var copy = target.CreatePosterior(seed: 0);
        copy.Threads = trained.Threads;
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) trained.Parameters.Write(writer);
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        copy.Parameters.Read(reader);
        return copy;
    }

    /// <param name="acceptOtherData">resume from a checkpoint written for other data (the CLI's --force)</param>
    public static ScviFit Fit(ScviInputs inputs, VariationalOptions options, string? checkpoint = null, bool resume = false,
        IProgress<EpochRecord>? progress = null, Action<string>? warn = null, int latent = DefaultLatent, LibraryPrior? prior = null,
        ScviLikelihood likelihood = ScviLikelihood.Zinb, bool acceptOtherData = false)
    {
        var clock = Stopwatch.StartNew();
        var empty = Enumerable.Range(0, inputs.Counts.Cells).Where(c => inputs.Counts.RowTotal(c) <= 0).ToList();
        if (empty.Count > 0)
            warn?.Invoke($"note: {empty.Count} cells have no counts (e.g. '{inputs.Counts.CellNames[empty[0]]}'); they are fitted like the others, and the library-size prior comes from the rest");
        var model = Prepare(inputs, latent, prior, likelihood);
        var variational = model.CreatePosterior(options.Seed);
        var plan = checkpoint is null ? null : new CheckpointPlan(checkpoint, resume, inputs.Fingerprint(), acceptOtherData);
        var run = VariationalDriver.Fit(variational, options, plan, progress, warn);
        return new ScviFit(model, variational, run, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Latent means, ρ, the count means l·ρ, E[l] and θ for every cell, in blocks of cells.</summary>
    public static ScviEstimates Estimate(IScviModel model, IScviPosterior<float> variational)
    {
        int n = model.GetPlateSize("Cell"), g = model.GetPlateSize("Gene");
        var normalized = new float[n * g];
        var imputed = new float[n * g];
        var (latent, library) = EstimateInBlocks(model, variational, (start, rows, block) =>
        {
            block.rhoOutput[..(rows * g)].CopyTo(normalized.AsSpan(start * g));
            block.CountMean[..(rows * g)].CopyTo(imputed.AsSpan(start * g));
        });
        return new ScviEstimates(latent, normalized, imputed, library, Theta(model, variational));
    }

    /// <summary>θ per gene, or null for a likelihood without one (Poisson).</summary>
    public static float[]? Theta(IScviModel model, IScviPosterior<float> variational) =>
        variational is IGeneDispersion<float> dispersion ? Enumerable.Range(0, model.GetPlateSize("Gene")).Select(dispersion.thetaAt).ToArray() : null;

    /// <summary>
    /// Runs the networks over every cell in blocks of 512 and hands each block to <paramref name="block"/> (first cell,
    /// number of cells, the posterior holding that block's ρ and count means, cell-major). Only the per-cell latent
    /// means and E[l] are kept; what is gene-wide is the caller's to stream, so memory stays bounded by the block.
    /// </summary>
    public static (float[] Latent, float[] Library) EstimateInBlocks(IScviModel model, IScviPosterior<float> variational, Action<int, int, IScviPosterior<float>> block)
    {
        int n = model.GetPlateSize("Cell"), d = model.GetPlateSize("Dim");
        var latent = new float[n * d];
        var library = new float[n];
        const int blockSize = 512;
        var cells = new int[blockSize];
        for (var start = 0; start < n; start += blockSize)
        {
            var rows = Math.Min(blockSize, n - start);
            for (var r = 0; r < rows; r++) cells[r] = start + r;
            variational.Infer(cells.AsSpan(0, rows));
            variational.zPosteriorMean[..(rows * d)].CopyTo(latent.AsSpan(start * d));
            variational.lPosteriorMean[..rows].CopyTo(library.AsSpan(start));
            block(start, rows, variational);
        }
        return (latent, library);
    }
}
