using Dsl.Runtime.Data;

namespace Dsl.Runtime.Models;

/// <summary>
/// The names of each plate's entries, from the files that name their rows and columns: the first file to name a
/// plate sets its order, and every later one is matched to it by name (its rows reordered), never by position. A
/// name missing from either side is an error. Plate-index values given as text are matched to the index plate's
/// names the same way; where no file names that plate, its names are the distinct values, sorted.
/// </summary>
public sealed class PlateLabels
{
    private readonly Dictionary<string, (IReadOnlyList<string> Names, string From)> plates = new(StringComparer.Ordinal);

    public IReadOnlyList<string>? this[string plate] => plates.TryGetValue(plate, out var labels) ? labels.Names : null;

    /// <summary>Where a plate's names came from (a file, or the names in a file's column), for messages.</summary>
    public string? From(string plate) => plates.TryGetValue(plate, out var labels) ? labels.From : null;

    /// <summary>Each member as the model stores it: axes in the plates' order, text indices as 1-based positions.</summary>
    public IReadOnlyList<NodeValues> Align(ModelDescriptor descriptor, IReadOnlyList<NodeValues> members, string defaultSource)
    {
        // Members that name their axes first, so that they set the order the others are matched to.
        foreach (var member in members.Where(m => m.Labels is not null && descriptor.Find(m.Member) is { } node && node.Plates.Count == m.Shape.Length))
        {
            var node = descriptor.Find(member.Member)!;
            for (var axis = 0; axis < member.Shape.Length; axis++)
                if (member.Labels![axis] is { } names && !plates.ContainsKey(node.Plates[axis]))
                    plates[node.Plates[axis]] = (names, member.Source ?? defaultSource);
        }
        return members.Select(m => descriptor.Find(m.Member) is { } node ? Align(node, m, defaultSource) : m).ToList();
    }

    private NodeValues Align(NodeDescriptor node, NodeValues member, string defaultSource)
    {
        var source = member.Source ?? defaultSource;
        var values = member.Values;
        if (member.Labels is { } labels && labels.Length == node.Plates.Count)
        {
            RefuseSwappedAxes(node, labels, source);
            for (var axis = 0; axis < labels.Length; axis++)
            {
                if (labels[axis] is not { } names) continue;
                var (order, from) = plates[node.Plates[axis]];
                values = Reorder(values, member.Shape, axis, Permutation(names, order, node.Plates[axis], source, from, OtherPlateNamed(names, node.Plates[axis])));
            }
        }
        if (member.ValueLabels is { } text)
        {
            if (node.IndexPlate is not { } indexPlate)
                throw new DataFormatException(source, null, $"'{member.Member}' holds names (such as '{text[0]}') but {node.Signature} holds numbers", "give numbers");
            if (!plates.ContainsKey(indexPlate)) plates[indexPlate] = (text.Distinct().Order(StringComparer.Ordinal).ToList(), source);
            var (order, from) = plates[indexPlate];
            var position = order.Select((name, n) => (name, n)).ToDictionary(p => p.name, p => p.n + 1, StringComparer.Ordinal);
            values = values.Select(v => position.TryGetValue(text[(int)v - 1], out var p) ? (double)p
                : throw new DataFormatException(source, null, $"'{member.Member}' names '{text[(int)v - 1]}', which is not among plate {indexPlate}'s names (from {from})", $"use the names of plate {indexPlate}")).ToArray();
        }
        return member with { Values = values, Labels = null, ValueLabels = null };
    }

    /// <summary>
    /// A two-plate file whose row names are the second plate's and whose column names are the first's (a 10x matrix's
    /// genes bound to plate Cell) gets an error that names the binding that reads it the right way round.
    /// </summary>
    private void RefuseSwappedAxes(NodeDescriptor node, IReadOnlyList<string>?[] labels, string source)
    {
        if (labels.Length != 2) return;
        // Only plates another file named: a plate this file named itself matches it by construction.
        bool Names(IReadOnlyList<string>? names, string plate) =>
            names is not null && plates.TryGetValue(plate, out var known) && known.From != source && SameNames(names, known.Names);
        var (first, second) = (node.Plates[0], node.Plates[1]);
        var matches = Names(labels[0], first) || Names(labels[1], second);
        var swapped = Names(labels[0], second) || Names(labels[1], first);
        if (matches || !swapped) return;
        throw new DataFormatException(source, null, $"its rows are named as plate {second}'s entries and its columns as plate {first}'s, but {node.Signature} puts the rows over plate {first}",
            $"bind it as --data {node.Name}[{second},{first}]={source}");
    }

    private static bool SameNames(IReadOnlyList<string> names, IReadOnlyList<string> order) =>
        names.Count == order.Count && names.ToHashSet(StringComparer.Ordinal).SetEquals(order);

    /// <summary>For each position in the plate's order, the position of the same name in the file.</summary>
    /// <summary>Another plate whose entries carry exactly these names, and where its names came from (a file read the other way round).</summary>
    private (string Plate, string From)? OtherPlateNamed(IReadOnlyList<string> names, string plate) =>
        plates.Where(p => p.Key != plate && SameNames(names, p.Value.Names)).Select(p => ((string Plate, string From)?)(p.Key, p.Value.From)).FirstOrDefault();

    private static int[] Permutation(IReadOnlyList<string> names, IReadOnlyList<string> order, string plate, string source, string from, (string Plate, string From)? other)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < names.Count; n++)
            if (!position.TryAdd(names[n], n)) throw new DataFormatException(source, null, $"'{names[n]}' names two entries of plate {plate}", "give each entry one name");
        var missing = order.FirstOrDefault(name => !position.ContainsKey(name));
        if (missing is not null || names.Count != order.Count)
        {
            var extra = names.FirstOrDefault(name => !order.Contains(name));
            throw new DataFormatException(source, null,
                missing is not null ? $"plate {plate} has '{missing}' (from {from}) but this file does not" : $"'{extra}' is not in plate {plate} (whose names come from {from})",
                other is { } o
                    ? $"these are the names of plate {o.Plate} (from {o.From}); if that file's rows and columns are bound the wrong way round, name its rows' plate: NODE[Plate1,Plate2]=FILE"
                    : $"give the same {plate} entries in every file (in any order: they are matched by name)");
        }
        return order.Select(name => position[name]).ToArray();
    }

    private static double[] Reorder(double[] values, int[] shape, int axis, int[] permutation)
    {
        var stride = shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var outer = values.Length / Math.Max(1, shape[axis] * stride);
        var result = new double[values.Length];
        for (var o = 0; o < outer; o++)
            for (var k = 0; k < shape[axis]; k++)
                Array.Copy(values, (o * shape[axis] + permutation[k]) * stride, result, (o * shape[axis] + k) * stride, stride);
        return result;
    }
}
