namespace Dsl.Runtime.Models;

/// <summary>
/// Undoes label switching over an exchangeable plate (<see cref="ModelDescriptor.ExchangeablePlates"/>): the posterior
/// of a declaration that cannot tell a plate's entries apart has one copy of each mode per permutation of them, so
/// chains settle on different labellings (and a chain may switch). Each draw's labels are permuted to match a
/// reference, Stephens's (2000) relabelling with a Gaussian loss: the reference starts as the mean of the first chain,
/// each draw takes the permutation whose labelled real latents lie nearest to it, each node's squared distances
/// divided by its spread around the reference (so a centre known to ±0.1 and 6 from its neighbour decides, and a
/// weight that is 1/3 for every label adds only noise that every permutation shares), and the reference and spreads
/// are recomputed from the relabelled draws, three times. Every node over the plate is permuted along it, and every
/// latent whose values are the plate's entries is mapped through the same permutation, so each draw stays a draw of
/// the same posterior.
/// </summary>
public static class LabelAlignment
{
    /// <summary>Permutations are searched exhaustively up to this many labels (720), greedily by smallest cost beyond.</summary>
    private const int ExhaustiveLabels = 6;

    private const int Passes = 3;

    /// <summary>One node over the plate: its draws (draw x entries, row-major in <paramref name="Shape"/>), the plate's axis, and whether its values guide the matching.</summary>
    public sealed record Labelled(float[] Draws, int[] Shape, int Axis, bool Guides);

    /// <summary>Relabels every draw in place; returns how many draws changed labels.</summary>
    /// <param name="valued">draws of latents whose values are the plate's entries (a mixture's allocations)</param>
    /// <param name="firstChain">draws in the first chain, whose mean is the first reference</param>
    public static int Align(int draws, int labels, IReadOnlyList<Labelled> nodes, IReadOnlyList<float[]> valued, int firstChain)
    {
        var guides = nodes.Where(n => n.Guides).Select(n => new Guide(n, labels)).ToList();
        var width = guides.Sum(g => g.PerLabel);
        if (labels < 2 || draws == 0 || width == 0) return 0;
        var permutations = labels <= ExhaustiveLabels ? Permutations(labels) : null;
        var assigned = new int[draws][];
        var features = new double[labels * width];
        var reference = new double[labels * width];
        var precision = new double[width];
        var cost = new double[labels * labels];
        var identity = Enumerable.Range(0, labels).ToArray();
        for (var s = 0; s < draws; s++) assigned[s] = identity;
        Reference(reference, precision, guides, assigned, Math.Max(1, firstChain), width, features);
        for (var pass = 0; pass < Passes; pass++)
        {
            for (var s = 0; s < draws; s++)
            {
                Features(guides, s, width, features);
                for (var k = 0; k < labels; k++)
                    for (var j = 0; j < labels; j++)
                    {
                        var total = 0.0;
                        for (var d = 0; d < width; d++)
                        {
                            var difference = features[j * width + d] - reference[k * width + d];
                            total += difference * difference * precision[d];
                        }
                        cost[k * labels + j] = total;
                    }
                assigned[s] = permutations is null ? Greedy(cost, labels) : Cheapest(cost, labels, permutations);
            }
            Reference(reference, precision, guides, assigned, draws, width, features);
        }
        var changed = 0;
        for (var s = 0; s < draws; s++)
        {
            var permutation = assigned[s];
            if (permutation.SequenceEqual(identity)) continue;
            changed++;
            foreach (var node in nodes) Permute(node, s, permutation, labels);
            var inverse = new int[labels];
            for (var k = 0; k < labels; k++) inverse[permutation[k]] = k;
            foreach (var values in valued)
            {
                var entries = values.Length / draws;
                for (var e = 0; e < entries; e++) values[s * entries + e] = inverse[(int)values[s * entries + e]];
            }
        }
        return changed;
    }

    /// <summary>A guiding node's entries grouped by label.</summary>
    private sealed class Guide
    {
        public Guide(Labelled node, int labels)
        {
            Node = node;
            var entries = node.Shape.Aggregate(1, (a, b) => a * b);
            Entries = entries;
            PerLabel = entries / labels;
            var inner = node.Shape.Skip(node.Axis + 1).Aggregate(1, (a, b) => a * b);
            var outer = entries / (labels * inner);
            Positions = new int[labels][];
            for (var k = 0; k < labels; k++)
            {
                var at = new List<int>(PerLabel);
                for (var o = 0; o < outer; o++)
                    for (var i = 0; i < inner; i++) at.Add((o * labels + k) * inner + i);
                Positions[k] = at.ToArray();
            }
        }

        public Labelled Node { get; }
        public int Entries { get; }
        public int PerLabel { get; }
        public int[][] Positions { get; }
    }

    /// <summary>Draw s's features, label-major: each guide's entries at label k.</summary>
    private static void Features(List<Guide> guides, int s, int width, double[] features)
    {
        var offset = 0;
        foreach (var guide in guides)
        {
            var row = guide.Node.Draws.AsSpan(s * guide.Entries, guide.Entries);
            for (var k = 0; k < guide.Positions.Length; k++)
            {
                var at = guide.Positions[k];
                for (var p = 0; p < at.Length; p++) features[k * width + offset + p] = row[at[p]];
            }
            offset += guide.PerLabel;
        }
    }

    /// <summary>
    /// The reference, the mean over the first <paramref name="to"/> draws of each draw's features under its assigned
    /// labels, and per feature the reciprocal of its guide's mean squared spread around it.
    /// </summary>
    private static void Reference(double[] reference, double[] precision, List<Guide> guides, int[][] assigned, int to, int width, double[] features)
    {
        Array.Clear(reference);
        var labels = reference.Length / width;
        for (var s = 0; s < to; s++)
        {
            Features(guides, s, width, features);
            for (var k = 0; k < labels; k++)
                for (var d = 0; d < width; d++) reference[k * width + d] += features[assigned[s][k] * width + d];
        }
        for (var i = 0; i < reference.Length; i++) reference[i] /= to;
        var (spread, magnitude) = (new double[guides.Count], new double[guides.Count]);
        for (var s = 0; s < to; s++)
        {
            Features(guides, s, width, features);
            var offset = 0;
            for (var g = 0; g < guides.Count; offset += guides[g].PerLabel, g++)
                for (var k = 0; k < labels; k++)
                    for (var d = offset; d < offset + guides[g].PerLabel; d++)
                    {
                        var difference = features[assigned[s][k] * width + d] - reference[k * width + d];
                        spread[g] += difference * difference;
                        magnitude[g] += reference[k * width + d] * reference[k * width + d];
                    }
        }
        var at = 0;
        for (var g = 0; g < guides.Count; at += guides[g].PerLabel, g++)
        {
            var count = (double)to * labels * guides[g].PerLabel;
            // A node whose draws all agree is trusted fully: a floor far below its values' size keeps 1/variance finite.
            var variance = Math.Max(spread[g] / count, 1e-12 * (1 + magnitude[g] / count));
            for (var d = at; d < at + guides[g].PerLabel; d++) precision[d] = 1 / variance;
        }
    }

    /// <summary>The permutation π (label k takes the draw's label π[k]) of least total cost.</summary>
    private static int[] Cheapest(double[] cost, int labels, List<int[]> permutations)
    {
        var (best, bestCost) = (permutations[0], double.PositiveInfinity);
        foreach (var permutation in permutations)
        {
            var total = 0.0;
            for (var k = 0; k < labels; k++) total += cost[k * labels + permutation[k]];
            if (total < bestCost) (best, bestCost) = (permutation, total);
        }
        return best;
    }

    /// <summary>Many labels: pairs taken cheapest first, each label and each draw label once.</summary>
    private static int[] Greedy(double[] cost, int labels)
    {
        var pairs = Enumerable.Range(0, labels * labels).OrderBy(i => cost[i]).ThenBy(i => i);
        var permutation = Enumerable.Repeat(-1, labels).ToArray();
        var taken = new bool[labels];
        foreach (var pair in pairs)
        {
            var (k, j) = (pair / labels, pair % labels);
            if (permutation[k] >= 0 || taken[j]) continue;
            (permutation[k], taken[j]) = (j, true);
        }
        return permutation;
    }

    private static List<int[]> Permutations(int labels)
    {
        var all = new List<int[]>();
        void Extend(List<int> prefix)
        {
            if (prefix.Count == labels) { all.Add(prefix.ToArray()); return; }
            for (var j = 0; j < labels; j++)
            {
                if (prefix.Contains(j)) continue;
                prefix.Add(j);
                Extend(prefix);
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
        Extend([]);
        return all;
    }

    /// <summary>Draw s of a node, its entries along the plate's axis permuted: new label k holds old label π[k].</summary>
    private static void Permute(Labelled node, int s, int[] permutation, int labels)
    {
        var entries = node.Shape.Aggregate(1, (a, b) => a * b);
        var inner = node.Shape.Skip(node.Axis + 1).Aggregate(1, (a, b) => a * b);
        var outer = entries / (labels * inner);
        var row = node.Draws.AsSpan(s * entries, entries);
        var old = row.ToArray();
        for (var o = 0; o < outer; o++)
            for (var k = 0; k < labels; k++)
                old.AsSpan((o * labels + permutation[k]) * inner, inner).CopyTo(row.Slice((o * labels + k) * inner, inner));
    }
}
