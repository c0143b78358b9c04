namespace Dsl.Runtime.Models;

/// <summary>
/// Draws of every latent node, one per recorded sweep, read from the model by name (<see cref="IDeclaredModel.TryRead"/>)
/// and kept as floats; summarised per entry once sampling ends.
/// </summary>
public sealed class PosteriorDraws
{
    private readonly IDeclaredModel model;
    private readonly List<(NodeDescriptor Node, int[] Shape, float[] Draws)> nodes = [];
    private readonly double[] scratch;
    private readonly int capacity;

    /// <param name="capacity">the number of sweeps that will be recorded</param>
    public PosteriorDraws(IDeclaredModel model, int capacity)
    {
        this.model = model;
        this.capacity = capacity;
        var largest = 0;
        foreach (var node in model.Descriptor.Nodes.Where(n => n.Role == Graph.GraphNodeRole.Latent))
        {
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            var entries = shape.Aggregate(1L, (a, b) => a * b);
            if (entries * capacity > Array.MaxLength)
                throw new InvalidOperationException($"{node.Name} has {entries} entries; {capacity} draws of each do not fit in memory; record fewer samples (--samples)");
            nodes.Add((node, shape, new float[entries * capacity]));
            largest = (int)Math.Max(largest, entries);
        }
        scratch = new double[largest];
    }

    public int Recorded { get; private set; }

    /// <summary>Copies every latent's current draw.</summary>
    public void Record()
    {
        if (Recorded == capacity) throw new InvalidOperationException($"all {capacity} draws are already recorded");
        foreach (var (node, _, draws) in nodes)
        {
            var entries = draws.Length / capacity;
            var current = scratch.AsSpan(0, entries);
            if (!model.TryRead(node.Name, current)) throw new InvalidOperationException($"the engine holds no draw of latent '{node.Name}'");
            var column = draws.AsSpan(Recorded * entries, entries);
            for (var e = 0; e < entries; e++) column[e] = (float)current[e];
        }
        Recorded++;
    }

    public IEnumerable<NodeSummary> Summaries()
    {
        var chain = new double[Recorded];
        var sorted = new double[Recorded];
        foreach (var (node, shape, draws) in nodes)
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
