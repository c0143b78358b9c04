using System.Diagnostics;
using System.Numerics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Neural;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Variational;

/// <summary>
/// Generic minibatch VI: a seeded train/validation split, shuffled minibatches, Adam, linear KL warm-up, the
/// validation ELBO every epoch with optional early stopping, a checkpoint every CheckpointSeconds and after the last epoch, and resume. A NaN in training is
/// reported with the term that produced it and the epoch restarts from the last good state at half the step.
/// Every random draw is keyed by (seed, epoch, minibatch), so results do not depend on the thread count.
/// </summary>
public static class VariationalDriver
{
    private const int MaxRestarts = 6;

    /// <param name="checkpoint">where to keep the checkpoint, and whether to resume from it (it must then exist and match)</param>
    public static VariationalResult Fit<T>(IVariationalModel<T> model, VariationalOptions options, CheckpointPlan? checkpoint = null,
        IProgress<EpochRecord>? progress = null, Action<string>? warn = null, CancellationToken cancel = default)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        model.Threads = Math.Max(1, options.Threads);
        var parts = Parts(model);
        var (training, validation) = Split(parts, options);
        // Batch normalisation over a minibatch of one or two cells has no usable spread; refuse rather than fit noise.
        var fewest = model.Parameters.HasNormalisation ? 3 : 1;
        foreach (var (offset, size) in parts)
        {
            var trainingCells = training.Count(e => e >= offset && e < offset + size);
            if (trainingCells < fewest)
                throw new ArgumentException($"{size} cells{(parts.Count > 1 ? $" of part {parts.IndexOf((offset, size)) + 1}" : "")} leave {trainingCells} for training; this model needs at least {fewest} (its batch normalisation needs a spread)");
        }
        if (validation.Length == 0)
            warn?.Invoke($"no cells are held out for validation ({model.Elements} cells x {options.ValidationFraction:G3} rounds to none); the validation ELBO is not computed");
        var adam = new Adam<T>(model.Parameters, options.LearningRate, options.AdamEpsilon, options.WeightDecay);
        var history = new List<EpochRecord>();
        var best = double.NegativeInfinity;
        var sinceBest = 0;
        if (checkpoint is { Resume: true })
            (best, sinceBest) = VariationalCheckpoint.Load(checkpoint, options, model, adam, history);
        checkpoint?.RequireWritable();
        var restarts = 0;
        var lastGood = new TrainingSnapshot<T>(model.Parameters, adam);
        // State kept outside the parameter set (an adversary's weights and optimiser) returns with the rest after a NaN.
        var extras = model as ICheckpointExtras;
        var extrasGood = Capture(extras);
        var sinceCheckpoint = Stopwatch.StartNew();
        var stoppedEarly = options.Patience > 0 && sinceBest >= options.Patience;
        for (var epoch = history.Count; epoch < options.Epochs && !stoppedEarly; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var klWeight = options.WarmupEpochs <= 0 ? 1.0 : Math.Min(1.0, (double)epoch / options.WarmupEpochs);
            var trained = TrainEpoch(model, adam, EpochBatches(parts, training, options, epoch), parts, training.Length, epoch, klWeight, options.Seed);
            if (trained.Failure is { } failure)
            {
                // Still not finite at a step 64 times smaller: the data or the model's starting point, not the step size.
                if (++restarts > MaxRestarts)
                    throw new InvalidDataException($"{failure}; gave up after {MaxRestarts} restarts at smaller steps; check that the data lie inside the model's supports");
                lastGood.Restore();
                if (extras is not null) extras.ReadExtras(new BinaryReader(new MemoryStream(extrasGood)));
                adam.LearningRate /= 2;
                warn?.Invoke($"{failure}; restarting epoch {epoch + 1} from the last good state with learning rate {adam.LearningRate:G3}");
                epoch--;
                continue;
            }
            var validated = Evaluate(model, validation, options, klWeight);
            var record = new EpochRecord(epoch + 1, klWeight, trained.Terms, Elbo(model, trained.Terms), validated,
                validation.Length > 0 ? Elbo(model, validated) : double.NaN, clock.Elapsed.TotalSeconds);
            history.Add(record);
            var score = validation.Length > 0 ? record.ValidationElbo : record.TrainingElbo;
            if (klWeight >= 1)
            {
                if (score > best) { best = score; sinceBest = 0; }
                else sinceBest++;
            }
            stoppedEarly = options.Patience > 0 && sinceBest >= options.Patience;
            lastGood.Capture();
            extrasGood = Capture(extras);
            var last = epoch + 1 == options.Epochs || stoppedEarly;
            if (checkpoint is not null && (last || sinceCheckpoint.Elapsed.TotalSeconds >= options.CheckpointSeconds))
            {
                VariationalCheckpoint.Save(checkpoint, options, model, adam, history, best, sinceBest);
                sinceCheckpoint.Restart();
            }
            progress?.Report(record);
        }
        if (options.PopulationStatistics) EstimatePopulationStatistics(model, training, options);
        return new VariationalResult(history, training, validation, stoppedEarly, restarts);
    }

    /// <summary>
    /// Sets every batch-norm layer's evaluation statistics to those of the given cells at the current weights: one
    /// training-mode pass in shuffled minibatches (noise and dropout on, as in training), pooled per layer ("precise
    /// BN", Wu and Johnson 2021). The running averages kept during training mix minibatches of the last few hundred
    /// steps, taken at older weights; at scVI's momentum of 0.01 that lag moved the evaluation-mode library size by up
    /// to 13 % from what the training-mode network fits, differently for every seed. Deterministic for the seed.
    /// </summary>
    public static void EstimatePopulationStatistics<T>(IVariationalModel<T> model, int[] cells, VariationalOptions options)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!model.Parameters.HasNormalisation || cells.Length == 0) return;
        var order = (int[])cells.Clone();
        Shuffle(order, new RandomStream(options.Seed, 0xB5_0000_0000UL));
        var sums = new double[model.Terms.Count];
        model.Parameters.BeginPopulationStatistics();
        foreach (var (start, rows, batchIndex) in TrainingBatches(order.Length, options.BatchSize))
            model.Step(order.AsSpan(start, rows), new VariationalStep(true, false, 1, options.Seed, (0xB5UL << 32) + (ulong)batchIndex, order.Length), sums);
        model.Parameters.EndPopulationStatistics();
    }

    /// <summary>The per-cell ELBO: log-likelihood terms minus KL terms (at full weight).</summary>
    public static double Elbo<T>(IVariationalModel<T> model, double[] terms) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var elbo = 0.0;
        for (var t = 0; t < terms.Length; t++)
            if (!model.Terms[t].Penalty) elbo += model.Terms[t].IsDivergence ? -terms[t] : terms[t];
        return elbo;
    }

    /// <summary>Per-cell means of the ELBO terms over some cells in evaluation mode (no dropout, running batch statistics).</summary>
    public static double[] Evaluate<T>(IVariationalModel<T> model, int[] cells, VariationalOptions options, double klWeight = 1, ulong stream = 0xE7A1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var sums = new double[model.Terms.Count];
        var part = new double[model.Terms.Count];
        for (var start = 0; start < cells.Length; start += options.BatchSize)
        {
            var batch = cells.AsSpan(start, Math.Min(options.BatchSize, cells.Length - start));
            model.Step(batch, new VariationalStep(false, false, klWeight, options.Seed, (stream << 32) + (ulong)start, cells.Length), part);
            for (var t = 0; t < sums.Length; t++) sums[t] += part[t];
        }
        PerCell(model, sums, RowsPerPart(Parts(model), cells), cells.Length);
        return sums;
    }

    /// <summary>
    /// Each term's sum made a mean per cell: over the cells of its own part for a model in parts (log p(x') per spatial
    /// cell, not per cell of both sets), over every cell otherwise.
    /// </summary>
    private static void PerCell<T>(IVariationalModel<T> model, double[] sums, int[] rowsPerPart, int rows) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var partitioned = model as IPartitionedElements;
        for (var t = 0; t < sums.Length; t++)
        {
            var part = partitioned?.PartOfTerm(t) ?? -1;
            sums[t] /= Math.Max(1, part >= 0 ? rowsPerPart[part] : rows);
        }
    }

    /// <summary>How many of these cells each part holds.</summary>
    private static int[] RowsPerPart(List<(int Offset, int Size)> parts, IEnumerable<int> cells)
    {
        var counts = new int[parts.Count];
        foreach (var cell in cells)
            for (var k = 0; k < parts.Count; k++)
                if (cell >= parts[k].Offset && cell < parts[k].Offset + parts[k].Size) counts[k]++;
        return counts;
    }

    private static (double[] Terms, string? Failure) TrainEpoch<T>(IVariationalModel<T> model, Adam<T> adam, IEnumerable<int[]> batches, List<(int Offset, int Size)> parts,
        int population, int epoch, double klWeight, ulong seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var sums = new double[model.Terms.Count];
        var part = new double[model.Terms.Count];
        var seen = 0;
        var seenPerPart = new int[parts.Count];
        var batchIndex = 0;
        foreach (var batch in batches)
        {
            model.Parameters.ClearGradients();
            var stream = ((ulong)epoch << 24) + (ulong)batchIndex;
            model.Step(batch, new VariationalStep(true, true, klWeight, seed, stream, population), part);
            for (var t = 0; t < part.Length; t++)
            {
                if (!double.IsFinite(part[t]))
                    return (sums, $"the ELBO term {model.Terms[t].Name} became {part[t]} in epoch {epoch + 1}, minibatch {batchIndex + 1}");
                sums[t] += part[t];
            }
            adam.Step();
            (model as IAdversarialTraining)?.TrainAdversaries(batch, new VariationalStep(true, true, klWeight, seed, stream, population));
            seen += batch.Length;
            var rows = RowsPerPart(parts, batch);
            for (var k = 0; k < parts.Count; k++) seenPerPart[k] += rows[k];
            batchIndex++;
        }
        PerCell(model, sums, seenPerPart, seen);
        return (sums, null);
    }

    private static byte[] Capture(ICheckpointExtras? extras)
    {
        if (extras is null) return [];
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) extras.WriteExtras(writer);
        return buffer.ToArray();
    }

    /// <summary>The model's parts as (first element, size): one for a model over one cell plate.</summary>
    private static List<(int Offset, int Size)> Parts<T>(IVariationalModel<T> model) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (model is not IPartitionedElements partitioned) return [(0, model.Elements)];
        var parts = new List<(int, int)>();
        var offset = 0;
        foreach (var size in partitioned.PartSizes)
        {
            parts.Add((offset, size));
            offset += size;
        }
        return parts;
    }

    /// <summary>A seeded permutation of the cells: the first share is held out for validation.</summary>
    public static (int[] Training, int[] Validation) Split(int cells, VariationalOptions options) => Split([(0, cells)], options);

    /// <summary>Each part split on its own (its own seeded permutation), so every cell plate holds out the same share.</summary>
    private static (int[] Training, int[] Validation) Split(List<(int Offset, int Size)> parts, VariationalOptions options)
    {
        var training = new List<int>();
        var validation = new List<int>();
        for (var k = 0; k < parts.Count; k++)
        {
            var (offset, size) = parts[k];
            var order = Enumerable.Range(offset, size).ToArray();
            Shuffle(order, new RandomStream(options.Seed, 0x5917 + (ulong)k * 0x1_0000_0000UL));
            var held = (int)Math.Round(size * options.ValidationFraction);
            training.AddRange(order[held..].Order());
            validation.AddRange(order[..held].Order());
        }
        return (training.ToArray(), validation.ToArray());
    }

    /// <summary>
    /// An epoch's training minibatches. One part: its cells shuffled, in runs of the batch size. Several parts (one per
    /// cell plate): every minibatch takes a run from each part's own shuffle; the part with the most training cells
    /// sets the number of minibatches and the others cycle through theirs, as scvi-tools' gimVI loads its two sets.
    /// </summary>
    private static IEnumerable<int[]> EpochBatches(List<(int Offset, int Size)> parts, int[] training, VariationalOptions options, int epoch)
    {
        var orders = new int[parts.Count][];
        for (var k = 0; k < parts.Count; k++)
        {
            var (offset, size) = parts[k];
            orders[k] = training.Where(e => e >= offset && e < offset + size).ToArray();
            Shuffle(orders[k], new RandomStream(options.Seed, 0x5100_0000UL + (ulong)epoch + (ulong)k * 0x1_0000_0000UL));
        }
        var longest = orders.Select(o => o.Length).Max();
        foreach (var (start, _, _) in TrainingBatches(longest, options.BatchSize))
        {
            var batch = new List<int>();
            foreach (var order in orders)
            {
                if (order.Length == 0) continue;
                var from = start % order.Length;
                var rows = Math.Min(options.BatchSize, order.Length - from);
                // A run of one or two cells at the end of a part's shuffle starts over from its beginning instead (batch normalisation needs a spread).
                if (rows < 3 && from > 0) (from, rows) = (0, Math.Min(options.BatchSize, order.Length));
                batch.AddRange(order.AsSpan(from, rows).ToArray());
            }
            yield return batch.ToArray();
        }
    }

    /// <summary>
    /// The training-mode minibatches of a shuffled order: consecutive runs of <paramref name="batchSize"/>. Batch
    /// normalisation needs more than one row, so a remainder of one or two cells is left to the next shuffle.
    /// </summary>
    private static IEnumerable<(int Start, int Rows, int Index)> TrainingBatches(int cells, int batchSize)
    {
        for (int start = 0, index = 0; start < cells; start += batchSize, index++)
        {
            var rows = Math.Min(batchSize, cells - start);
            if (rows < 3 && start > 0) yield break;
            yield return (start, rows, index);
        }
    }

    /// <summary>Fisher-Yates in place.</summary>
    private static void Shuffle(int[] order, RandomStream random)
    {
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(random.NextDouble() * (i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
