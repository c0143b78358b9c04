using Dsl.Runtime.Graph;

namespace Dsl.Runtime.Models;

/// <summary>
/// Draws of every latent node, one per recorded sweep (or draw from q), read by name from the engine, and of every
/// deterministic node the model can evaluate at them (<see cref="IDeclaredModel.TryEvaluate"/>), summarised per entry
/// once sampling ends. Draws are kept as floats while they fit in <see cref="DrawBudget"/>; the largest nodes beyond
/// it keep running sums only, so they are summarised by mean and sd without quantiles or chain diagnostics (and
/// <see cref="MomentsOnly"/> names them).
/// </summary>
public sealed class PosteriorDraws
{
    /// <summary>Floats of draws kept in all (1 GiB).</summary>
    public const long DrawBudget = 1L << 28;

    private readonly IDeclaredModel model;
    private readonly ReadLatent readLatent;
    private readonly List<Tracked> latents = [];
    private readonly List<Tracked> deterministic = [];
    private readonly Dictionary<string, double[]> current = new(StringComparer.Ordinal);
    private readonly int capacity;
    private readonly int chains;

    /// <summary>One node's current values and either its draws (entries x capacity) or its running sums.</summary>
    private sealed record Tracked(NodeDescriptor Node, int[] Shape, double[] Current, float[]? Draws, double[]? Sum, double[]? SquareSum)
    {
        public int Entries => Current.Length;
    }

    /// <summary>Copies a latent's current draw, row-major; false where the engine holds none.</summary>
    public delegate bool ReadLatent(string node, Span<double> destination);

    /// <param name="capacity">the number of draws that will be recorded, in all chains</param>
    /// <param name="budget">floats of draws to keep, at most</param>
    /// <param name="chains">the chains the draws come from, of equal length, recorded one after the other</param>
    /// <param name="drawsUninformed">
    /// whether the engine draws latents no observation depends on (from their prior, as the samplers do); Gibbs-EM
    /// and variational inference leave them out, and they are not tracked
    /// </param>
    public PosteriorDraws(IDeclaredModel model, int capacity, ReadLatent readLatent, long budget = DrawBudget, int chains = 1, bool drawsUninformed = true)
    {
        if (chains < 1 || capacity % chains != 0) throw new ArgumentException($"{capacity} draws cannot come from {chains} chains of equal length");
        this.model = model;
        this.readLatent = readLatent;
        this.capacity = capacity;
        this.chains = chains;
        var nodes = model.Descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Latent && n.IntegratedInto is null && (n.Informed || drawsUninformed)).ToList();
        foreach (var node in nodes) current[node.Name] = new double[Entries(node)];
        // Only the deterministic nodes the model can evaluate from latents (not from observed values or a network).
        var evaluable = model.Descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Deterministic && model.TryEvaluate(n.Name, current, new double[Entries(n)])).ToList();
        // The smallest nodes keep their draws first; what does not fit keeps moments only.
        var kept = new HashSet<NodeDescriptor>();
        var used = 0L;
        foreach (var node in nodes.Concat(evaluable).OrderBy(Entries))
        {
            if (used + Entries(node) * capacity > budget) continue;
            used += Entries(node) * capacity;
            kept.Add(node);
        }
        foreach (var node in nodes) latents.Add(Track(node, current[node.Name], kept.Contains(node)));
        foreach (var node in evaluable) deterministic.Add(Track(node, new double[Entries(node)], kept.Contains(node)));
        MomentsOnly = latents.Concat(deterministic).Where(t => t.Draws is null).Select(t => t.Node.Name).ToList();
    }

    private long Entries(NodeDescriptor node) => node.Plates.Select(model.GetPlateSize).Aggregate(1L, (a, b) => a * b);

    private Tracked Track(NodeDescriptor node, double[] values, bool keepDraws)
    {
        var shape = node.Plates.Select(model.GetPlateSize).ToArray();
        return keepDraws
            ? new Tracked(node, shape, values, new float[values.Length * capacity], null, null)
            : new Tracked(node, shape, values, null, new double[values.Length], new double[values.Length]);
    }

    public int Recorded { get; private set; }

    /// <summary>The chains the draws come from, recorded one after the other.</summary>
    public int Chains => chains;

    /// <summary>Every node whose draws are kept, in summary order, its draws draw-major (draw x entries), for draws.csv.</summary>
    public IEnumerable<(NodeDescriptor Node, int[] Shape, float[] Draws)> Kept =>
        latents.Concat(deterministic).Where(t => t.Draws is not null).Select(t => (t.Node, t.Shape, t.Draws!));

    /// <summary>Nodes too large for their draws to be kept: summarised by mean and sd only.</summary>
    public IReadOnlyList<string> MomentsOnly { get; }

    /// <summary>Copies every latent's current draw, then evaluates the deterministic nodes at it.</summary>
    public void Record()
    {
        if (Recorded == capacity) throw new InvalidOperationException($"all {capacity} draws are already recorded");
        foreach (var latent in latents)
        {
            if (!readLatent(latent.Node.Name, latent.Current)) throw new InvalidOperationException($"the engine holds no draw of latent '{latent.Node.Name}'");
            Store(latent);
        }
        foreach (var node in deterministic)
        {
            model.TryEvaluate(node.Node.Name, current, node.Current);
            Store(node);
        }
        Recorded++;
    }

    private void Store(Tracked node)
    {
        if (node.Draws is { } draws)
        {
            var column = draws.AsSpan(Recorded * node.Entries, node.Entries);
            for (var e = 0; e < node.Entries; e++) column[e] = (float)node.Current[e];
            return;
        }
        for (var e = 0; e < node.Entries; e++)
        {
            node.Sum![e] += node.Current[e];
            node.SquareSum![e] += node.Current[e] * node.Current[e];
        }
    }

    /// <summary>What the summaries of moments-only nodes lack, for a fit's notes (empty when every draw was kept).</summary>
    public string MomentsNote => MomentsOnly.Count == 0 ? ""
        : $"; {string.Join(", ", MomentsOnly)} had too many entries to keep every draw, so only their mean and sd are reported";

    /// <summary>
    /// Aligns the labels of every exchangeable plate across chains and draws (<see cref="LabelAlignment"/>), before the
    /// draws are summarised or written; returns what was done, for a fit's description (empty for a model with none).
    /// </summary>
    public string AlignLabels()
    {
        var note = "";
        foreach (var plate in model.Descriptor.ExchangeablePlates ?? [])
        {
            var over = latents.Concat(deterministic).Where(t => t.Node.Plates.Contains(plate)).ToList();
            var valued = latents.Where(t => t.Node.IndexPlate == plate).ToList();
            if (over.Concat(valued).FirstOrDefault(t => t.Draws is null) is { } large)
            {
                note += $"; the entries of plate {plate} are exchangeable in the declaration, but {large.Node.Name} is too large to keep its draws, so its labels were not aligned across chains";
                continue;
            }
            var nodes = over.Select(t => new LabelAlignment.Labelled(t.Draws!, t.Shape, t.Node.Plates.ToList().IndexOf(plate),
                Guides: latents.Contains(t) && t.Node.Support is not (ValueSupport.PlateIndex or ValueSupport.Binary or ValueSupport.Count or ValueSupport.Integer))).ToList();
            var changed = LabelAlignment.Align(Recorded, model.GetPlateSize(plate), nodes, valued.Select(t => t.Draws!).ToList(), Recorded / chains);
            note += $"; the entries of plate {plate} are exchangeable in the declaration, so its labels were aligned across chains and draws ({changed} of {Recorded} draws relabelled)";
        }
        return note;
    }

    public IEnumerable<NodeSummary> Summaries() => latents.Concat(deterministic).Select(node => node.Draws is null ? FromMoments(node) : FromDraws(node));

    private NodeSummary FromMoments(Tracked node)
    {
        var n = (double)Recorded;
        var mean = node.Sum!.Select(s => s / n).ToArray();
        var sd = node.SquareSum!.Select((q, e) => n > 1 ? Math.Sqrt(Math.Max(q - n * mean[e] * mean[e], 0) / (n - 1)) : double.NaN).ToArray();
        var missing = Enumerable.Repeat(double.NaN, node.Entries).ToArray();
        return new NodeSummary(node.Node, node.Shape, mean, sd, missing, missing, missing, missing, missing, missing);
    }

    private NodeSummary FromDraws(Tracked node)
    {
        var entries = node.Entries;
        var length = Recorded / chains;
        var perChain = Enumerable.Range(0, chains).Select(_ => new double[length]).ToArray();
        var columns = Enumerable.Range(0, 8).Select(_ => new double[entries]).ToArray();
        for (var e = 0; e < entries; e++)
        {
            for (var c = 0; c < chains; c++)
                for (var s = 0; s < length; s++) perChain[c][s] = node.Draws![(c * length + s) * entries + e];
            var d = ChainStatistics.Summarise(perChain);
            (columns[0][e], columns[1][e], columns[2][e], columns[3][e]) = (d.Mean, d.Sd, d.Mcse, d.Q5);
            (columns[4][e], columns[5][e], columns[6][e], columns[7][e]) = (d.Q95, d.EssBulk, d.EssTail, d.RHat);
        }
        return new NodeSummary(node.Node, node.Shape, columns[0], columns[1], columns[2], columns[3], columns[4], columns[5], columns[6], columns[7]);
    }
}
