using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;
using Dsl.Runtime.Variational;

namespace Dsl.Runtime.Models;

/// <summary>
/// Variational inference for any declared model a VI plan claims: the generic minibatch driver trains the
/// generated variational family, the fitted parameters are stored in the model, and draws from q of every encoded
/// latent (and the deterministic nodes evaluated at them) are summarised per entry. Draws are keyed by (seed, draw,
/// block of cells), so the same seed gives the same summary at any thread count.
/// </summary>
public static class VariationalFit
{
    public const string Engine = "variational inference";

    /// <summary>Cells per evaluation pass when drawing from q: bounds the network buffers, not the result.</summary>
    private const int Block = 512;

    /// <summary>Streams of the draws from q, far from those of training (keyed by epoch and minibatch).</summary>
    private const ulong DrawStreams = 0x7A11_0000_0000UL;

    public static DeclaredFit Fit(IDeclaredModel model, VariationalOptions options, int draws, CheckpointPlan? checkpoint,
        IProgress<EpochRecord>? progress, Action<string>? warn)
    {
        var clock = Stopwatch.StartNew();
        // A model over one cell plate is its own family; one over several is trained jointly and read part by part.
        var (family, parts) = model switch
        {
            IVariationalDeclaredModel declared when declared.CreateVariational(options.Seed) is var single => ((IVariationalModel<float>)single, (IReadOnlyList<IDeclaredVariational<float>>)[single]),
            IJointVariationalDeclaredModel joint when joint.CreateJointVariational(options.Seed) is var family2 => (family2, family2.Parts),
            _ => throw new InvalidOperationException($"{model.Descriptor.Name} has no variational plan"),
        };
        var run = VariationalDriver.Fit(family, options, checkpoint, progress, warn);
        if (!run.StoppedEarly && ElboTrend.StillRising(run.History, family.Terms) is { } rising) warn?.Invoke(rising);
        foreach (var part in parts) part.StoreParameters();

        // Latents no observation depends on (DSL0309) and those integrated out of their counts have no draws.
        var latents = model.Descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Latent && n.Informed && n.IntegratedInto is null)
            .ToDictionary(n => n.Name, n => new double[n.Plates.Select(model.GetPlateSize).Aggregate(1L, (a, b) => a * b)]);
        var recorder = new PosteriorDraws(model, draws, (name, destination) =>
        {
            if (!latents.TryGetValue(name, out var values)) return false;
            values.CopyTo(destination);
            return true;
        }, drawsUninformed: false);
        for (var draw = 0; draw < draws; draw++)
        {
            for (var k = 0; k < parts.Count; k++)
                DrawLatents(model, parts[k], latents, withGlobals: k == 0, options.Seed, DrawStreams + ((ulong)k << 48) + (ulong)draw * 65536);
            recorder.Record();
        }
        var networkOutputs = parts.SelectMany(part => NetworkOutputs(model, part).Concat(Conditionals(model, part))).ToList();
        var last = run.History.Count == 0 ? null : run.History[^1];
        var history = new FitHistory("epoch", ["training_elbo", "validation_elbo", "kl_weight", "seconds"],
            run.History.Select(e => new[] { e.Epoch, e.TrainingElbo, e.ValidationElbo, e.KlWeight, e.Seconds }).ToList());
        var settings = new Dictionary<string, object>
        {
            ["epochs"] = options.Epochs, ["batch_size"] = options.BatchSize, ["learning_rate"] = options.LearningRate, ["warmup_epochs"] = options.WarmupEpochs,
            ["validation_fraction"] = options.ValidationFraction, ["patience"] = options.Patience, ["seed"] = options.Seed, ["threads"] = options.Threads,
            ["draws"] = draws,
        };
        var outcome = run.StoppedEarly ? "stopped early" : $"ran {run.History.Count} epochs{(last is null ? "" : $", final training ELBO {last.TrainingElbo:F2} per cell")}";
        return new DeclaredFit(Engine, history, outcome, null, NodeSummary.PointEstimates(model).Concat(recorder.Summaries()).ToList(), recorder.Recorded,
            "latents and deterministic nodes: draws from the fitted q (the encoders' Normal or log-normal factors, and the mean-field Gaussian guides of global latents on their unconstrained scale); parameters: point estimates (no sd or interval)" + IntegratedNote(model) + recorder.MomentsNote,
            settings, clock.Elapsed.TotalSeconds) { Recorded = recorder, DenseOutputs = networkOutputs };
    }

    /// <summary>Which latents were integrated out of their counts and so have no draws, for the fit's notes (empty where none was).</summary>
    private static string IntegratedNote(IDeclaredModel model) =>
        string.Concat(model.Descriptor.Nodes.Where(n => n.IntegratedInto is not null)
            .Select(n => $"; {n.Name} is integrated out of {n.IntegratedInto} (a Gamma rate of its Poisson counts, or a mixture allocation of its prior), so it has no draws"));

    /// <summary>
    /// One draw from q of the latents of one family (or part): those over its element plate per block of its elements;
    /// with <paramref name="withGlobals"/>, those over no part's element plate (global latents) once from their guides.
    /// </summary>
    private static void DrawLatents(IDeclaredModel model, IDeclaredVariational<float> family, Dictionary<string, double[]> latents, bool withGlobals, ulong seed, ulong stream)
    {
        var elements = model.GetPlateSize(family.ElementPlate);
        // Global latents (outside the element plate) are drawn once per draw from their own guides; encoded ones per block of elements.
        var encoded = latents.Keys.Where(n => model.Descriptor.Find(n)!.Plates.Contains(family.ElementPlate)).ToList();
        // Networks are applied over the cell plates (every part's element plate); a latent over none of them is global.
        var cellPlates = model.Descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Network).Select(n => n.Plates[0]).Append(family.ElementPlate).ToHashSet();
        var globals = withGlobals ? latents.Keys.Where(n => !model.Descriptor.Find(n)!.Plates.Any(cellPlates.Contains)).ToHashSet() : [];
        var buffer = new double[Block * encoded.Select(n => Width(model, model.Descriptor.Find(n)!, family.ElementPlate)).DefaultIfEmpty(1).Max()];
        family.SampleGlobals(seed, stream + 0xFFFF);
        foreach (var name in globals)
            if (!family.TryReadLatent(name, latents[name])) throw new InvalidOperationException($"global latent '{name}' has no guide in the variational family");
        for (var start = 0; start < elements; start += Block)
        {
            var rows = Math.Min(Block, elements - start);
            var chunk = Enumerable.Range(start, rows).ToArray();
            family.Sample(chunk, seed, stream + (ulong)(start / Block));
            foreach (var name in encoded)
            {
                var node = model.Descriptor.Find(name)!;
                var width = Width(model, node, family.ElementPlate);
                if (!family.TryReadLatent(name, buffer.AsSpan(0, rows * width)))
                    throw new InvalidOperationException($"latent '{name}' has no encoder: the variational family holds no draw of it");
                Scatter(buffer.AsSpan(0, rows * width), latents[name], start, rows, width, elements, node.Plates[0] == family.ElementPlate);
            }
        }
    }

    /// <summary>Every network node's output for every element of one family (or part), in evaluation mode at the posterior means, block by block.</summary>
    private static List<NodeSummary> NetworkOutputs(IDeclaredModel model, IDeclaredVariational<float> family)
    {
        var elements = model.GetPlateSize(family.ElementPlate);
        var networks = model.Descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Network && n.Plates[0] == family.ElementPlate).ToList();
        var outputs = networks.ToDictionary(n => n.Name, n => new double[n.Plates.Select(model.GetPlateSize).Aggregate(1L, (a, b) => a * b)]);
        var buffer = new double[Block * networks.Select(n => Width(model, n, family.ElementPlate)).DefaultIfEmpty(1).Max()];
        for (var start = 0; start < elements && networks.Count > 0; start += Block)
        {
            var rows = Math.Min(Block, elements - start);
            family.Infer(Enumerable.Range(start, rows).ToArray());
            foreach (var node in networks)
            {
                var width = Width(model, node, family.ElementPlate);
                if (!family.TryReadNetwork(node.Name, buffer.AsSpan(0, rows * width)))
                    throw new InvalidOperationException($"network '{node.Name}' has no output in the variational family");
                Scatter(buffer.AsSpan(0, rows * width), outputs[node.Name], start, rows, width, elements, node.Plates[0] == family.ElementPlate);
            }
        }
        return networks.Select(n => new NodeSummary(n, n.Plates.Select(model.GetPlateSize).ToArray(), outputs[n.Name], null, null, null, null, null, null, null)).ToList();
    }

    /// <summary>
    /// Each allocation summed out of a latent's prior (a mixture prior's clusters), as the node NAME_probability: every
    /// element's conditional over the allocation's values at the latents' posterior means (evaluation mode), one column
    /// per value, block by block.
    /// </summary>
    private static List<NodeSummary> Conditionals(IDeclaredModel model, IDeclaredVariational<float> family)
    {
        var summaries = new List<NodeSummary>();
        var elements = model.GetPlateSize(family.ElementPlate);
        foreach (var node in model.Descriptor.Nodes.Where(n => n.IntegratedInto is not null && n.IndexPlate is not null && n.Plates.SequenceEqual([family.ElementPlate])))
        {
            var values = model.GetPlateSize(node.IndexPlate!);
            var probabilities = new double[(long)elements * values];
            var buffer = new double[Block * values];
            for (var start = 0; start < elements; start += Block)
            {
                var rows = Math.Min(Block, elements - start);
                family.Infer(Enumerable.Range(start, rows).ToArray());
                if (!family.TryReadConditional(node.Name, buffer.AsSpan(0, rows * values)))
                    throw new InvalidOperationException($"allocation '{node.Name}' has no conditional in the variational family");
                buffer.AsSpan(0, rows * values).CopyTo(probabilities.AsSpan(start * values));
            }
            summaries.Add(new NodeSummary(node with { Name = $"{node.Name}_probability", Support = ValueSupport.Real, IndexPlate = null, Plates = [.. node.Plates, node.IndexPlate!] },
                [elements, values], probabilities, null, null, null, null, null, null, null));
        }
        return summaries;
    }

    /// <summary>Entries of a latent per element of the minibatch plate (its other plate's size, or 1).</summary>
    private static int Width(IDeclaredModel model, NodeDescriptor node, string elementPlate) =>
        node.Plates.Where(p => p != elementPlate).Select(model.GetPlateSize).Aggregate(1, (a, b) => a * b);

    /// <summary>Rows of a block (element-major) into the node's row-major layout, whichever of its plates comes first.</summary>
    private static void Scatter(ReadOnlySpan<double> block, double[] values, int start, int rows, int width, int elements, bool elementFirst)
    {
        for (var r = 0; r < rows; r++)
            for (var k = 0; k < width; k++)
                values[elementFirst ? (long)(start + r) * width + k : (long)k * elements + start + r] = block[r * width + k];
    }
}
