using Dsl.Runtime.Graph;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Models;

/// <summary>
/// Values for the data and parameters a simulation was not given, drawn by fixed rules from each node's type and
/// constraints, each reported in a note so nothing is chosen silently:
/// <list type="bullet">
/// <item>plate-index data: uniform over the plate; real data: Normal(0, 1); positive data: LogNormal(0, 0.5); data in [0, 1]: Uniform(0, 1);</item>
/// <item>parameters on a simplex: Dirichlet(1, ..., 1) along it; positive: Gamma(2, rate 2) (mean 1); real: Normal(0, 1);</item>
/// <item>a floor is honoured by drawing again (a truncated draw), never by raising the value to it.</item>
/// </list>
/// Integer data has no such rule and must be given.
/// </summary>
public static class SimulationDefaults
{
    public static IReadOnlyList<string> Fill(IDeclaredModel model, IReadOnlySet<string> given, ulong seed)
    {
        var notes = new List<string>();
        var ordinal = 0UL;
        foreach (var node in model.Descriptor.Nodes)
        {
            ordinal++;
            if (node.Role is not (GraphNodeRole.Data or GraphNodeRole.Param) || given.Contains(node.Name)) continue;
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            var values = new double[shape.Aggregate(1, (a, b) => checked(a * b))];
            var random = new RandomStream(seed, 0x5EED_0000UL + ordinal);
            var rule = node.Role == GraphNodeRole.Data ? DrawData(model, node, values, ref random) : DrawParameter(model, node, shape, values, ref random);
            model.Store(node.Name, values);
            notes.Add($"{node.Name}: drawn from {rule}; give it with --set {node.Name}=VALUE or in --data");
        }
        return notes;
    }

    private static string DrawData(IDeclaredModel model, NodeDescriptor node, double[] values, ref RandomStream random)
    {
        switch (node.Support)
        {
            case ValueSupport.PlateIndex:
                var size = model.GetPlateSize(node.IndexPlate!);
                if (size == 0) throw new ArgumentException($"data node '{node.Name}' indexes plate {node.IndexPlate}, which is empty; give it entries with --plate {node.IndexPlate}=N");
                for (var n = 0; n < values.Length; n++) values[n] = Math.Min((int)(random.NextDouble() * size), size - 1);
                return $"a uniform choice in plate {node.IndexPlate}";
            case ValueSupport.Real:
                for (var n = 0; n < values.Length; n++) values[n] = random.NextNormal();
                return "Normal(0, 1)";
            case ValueSupport.Positive or ValueSupport.NonNegative:
                for (var n = 0; n < values.Length; n++) values[n] = Math.Exp(0.5 * random.NextNormal());
                return "LogNormal(0, 0.5)";
            case ValueSupport.UnitInterval:
                for (var n = 0; n < values.Length; n++) values[n] = random.NextDouble();
                return "Uniform(0, 1)";
            default:
                throw new ArgumentException($"data node {node.Signature} (line {node.Line}) holds integers, for which no default is drawn; give it with --set {node.Name}=VALUE or in --data");
        }
    }

    private static string DrawParameter(IDeclaredModel model, NodeDescriptor node, int[] shape, double[] values, ref RandomStream random)
    {
        var floor = node.Floor ?? double.NegativeInfinity;
        if (node.SimplexOver is { } over)
        {
            var axis = node.Plates.ToList().IndexOf(over);
            var length = shape[axis];
            var stride = shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
            var ones = Enumerable.Repeat(1.0, length).ToArray();
            var column = new double[length];
            for (var outer = 0; outer < values.Length / Math.Max(1, length * stride); outer++)
            {
                for (var s = 0; s < stride; s++)
                {
                    var tries = 0;
                    do Sampling.Dirichlet.SampleRow(ones, column, ref random);
                    while (column.Any(v => v < floor) && Again(node, ref tries));
                    for (var k = 0; k < length; k++) values[(outer * length + k) * stride + s] = column[k];
                }
            }
            return $"Dirichlet(1, ..., 1) along plate {over}";
        }
        for (var n = 0; n < values.Length; n++)
        {
            var tries = 0;
            do values[n] = node.Support == ValueSupport.Positive ? Sampling.Gamma.Sample(2, ref random) / 2 : random.NextNormal();
            while (values[n] < floor && Again(node, ref tries));
        }
        return node.Support == ValueSupport.Positive ? "Gamma(2, rate 2)" : "Normal(0, 1)";
    }

    /// <summary>Allows another draw above the floor, up to a thousand; a floor the default rarely reaches needs a value given.</summary>
    private static bool Again(NodeDescriptor node, ref int tries) =>
        ++tries < 1000 ? true : throw new ArgumentException($"{node.Name}'s [Floor({node.Floor})] is rarely reached by its default draw; give it with --set {node.Name}=VALUE or in --data");
}
