using Dsl.Runtime.Graph;

namespace Dsl.Runtime.Models;

/// <summary>
/// Draws of every latent node, one per recorded sweep (or draw from q), read by name from the engine, and of every
/// deterministic node the model can evaluate at them (<see cref="IDeclaredModel.TryEvaluate"/>); kept as floats and
/// summarised per entry once sampling ends.
/// </summary>
public sealed class PosteriorDraws
{
    private readonly IDeclaredModel model;
    private readonly ReadLatent readLatent;
    private readonly List<Tracked> latents = [];
    private readonly List<Tracked> deterministic = [];
    private readonly Dictionary<string, double[]> current = new(StringComparer.Ordinal);
    private readonly int capacity;

    private sealed record Tracked(NodeDescriptor Node, int[] Shape, float[] Draws, double[] Current)
    {
        public int Entries => Current.Length;
    }

    /// <summary>Copies a latent's current draw, row-major; false where the engine holds none.</summary>
    public delegate bool ReadLatent(string node, Span<double> destination);

    /// <param name="capacity">the number of draws that will be recorded</param>
    public PosteriorDraws(IDeclaredModel model, int capacity, ReadLatent readLatent)
    {
        this.model = model;
        this.readLatent = readLatent;
        this.capacity = capacity;
        foreach (var node in model.Descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Latent))
        {
            var tracked = Track(node);
            latents.Add(tracked);
            current[node.Name] = tracked.Current;
        }
        // Only the deterministic nodes the model can evaluate from latents (not from observed values or a network).
        foreach (var node in model.Descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Deterministic))
        {
            var probe = new double[node.Plates.Select(model.GetPlateSize).Aggregate(1L, (a, b) => a * b)];
            if (model.TryEvaluate(node.Name, current, probe)) deterministic.Add(Track(node));
        }
    }

    private Tracked Track(NodeDescriptor node)
    {
        var shape = node.Plates.Select(model.GetPlateSize).ToArray();
        var entries = shape.Aggregate(1L, (a, b) => a * b);
        if (entries * capacity > Array.MaxLength)
            throw new InvalidOperationException($"{node.Name} has {entries} entries; {capacity} draws of each do not fit in memory; record fewer samples (--samples)");
        return new Tracked(node, shape, new float[entries * capacity], new double[entries]);
    }

    public int Recorded { get; private set; }

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
        var column = node.Draws.AsSpan(Recorded * node.Entries, node.Entries);
        for (var e = 0; e < node.Entries; e++) column[e] = (float)node.Current[e];
    }

    public IEnumerable<NodeSummary> Summaries()
    {
        var chain = new double[Recorded];
        var sorted = new double[Recorded];
        foreach (var (node, shape, draws, _) in latents.Concat(deterministic))
        {
            var entries = draws.Length / capacity;
            var (mean, sd, q5, q95, ess, rhat) = (new double[entries], new double[entries], new double[entries], new double[entries], new double[entries], new double[entries]);
            for (var e = 0; e < entries; e++)
            {
                for (var s = 0; s < Recorded; s++) chain[s] = draws[s * entries + e];
                (mean[e], sd[e]) = ChainStatistics.MeanAndSd(chain);
                chain.CopyTo(sorted, 0);
                Array.Sort(sorted);
                q5[e] = ChainStatistics.Quantile(sorted, 0.05);
                q95[e] = ChainStatistics.Quantile(sorted, 0.95);
                ess[e] = ChainStatistics.EffectiveSampleSize(chain);
                rhat[e] = ChainStatistics.SplitRHat(chain);
            }
            yield return new NodeSummary(node, shape, mean, sd, q5, q95, ess, rhat);
        }
    }
}
