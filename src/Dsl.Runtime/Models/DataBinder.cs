using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;

namespace Dsl.Runtime.Models;

/// <summary>
/// Binds a data file's members to a model's nodes by their declared names: plate sizes from the arrays (or from
/// members named after plates), every value checked against its node's type and constraints, parameters started
/// from the file where it gives them. Each problem is one line naming the file, the node and the fix.
/// </summary>
public static class DataBinder
{
    /// <summary>What a binding set: the nodes given values, and each plate's entry names where a file named them.</summary>
    public sealed record BoundData(IReadOnlyList<string> Given, PlateLabels Labels);

    /// <param name="source">the file the members came from, for messages</param>
    /// <param name="warn">receives a line per member that names no node or plate</param>
    /// <param name="givenSizes">plate sizes given besides the file (simulation's --plate), checked against it like its own members</param>
    /// <param name="requireData">every data and observed node must be in the file (a fit); a simulation fills in what is missing</param>
    /// <returns>the nodes given values, and the plates' names where files gave them</returns>
    public static BoundData Bind(IDeclaredModel model, IReadOnlyList<NodeValues> members, string source, Action<string> warn,
        IReadOnlyDictionary<string, int>? givenSizes = null, bool requireData = true)
    {
        var descriptor = model.Descriptor;
        var nodes = new List<(NodeDescriptor Node, NodeValues Values)>();
        var plateMembers = new Dictionary<string, (NodeValues Member, string From)>();
        foreach (var member in members)
        {
            if (descriptor.HasPlate(member.Member))
            {
                plateMembers[member.Member] = (member, member.Source is null ? $"member '{member.Member}'" : $"member '{member.Member}' of {member.Source}");
                continue;
            }
            if (descriptor.Find(member.Member) is not { } node)
            {
                var closest = ClosestName.Find(member.Member, descriptor.Nodes.Where(n => n.IsBindable).Select(n => n.Name).Concat(descriptor.Plates));
                warn($"{source}: member '{member.Member}' is not a node or plate of {descriptor.Name}, so it is not used{(closest is null ? "" : $"; did you mean '{closest}'?")}");
                continue;
            }
            if (!node.IsBindable)
                throw new DataFormatException(member.Source ?? source, null, $"member '{node.Name}' gives values for {Role(node)} {node.Signature}, which the fit infers",
                    $"remove it (only data, observed and parameter nodes are read)");
            if (nodes.FirstOrDefault(n => n.Node == node).Values is { } earlier)
                throw new DataFormatException(member.Source ?? source, null, $"'{node.Name}' is also given in {earlier.Source ?? source}", "give each node once");
            nodes.Add((node, member));
        }
        foreach (var required in descriptor.Nodes.Where(n => requireData && n.Role is GraphNodeRole.Data or GraphNodeRole.Observed))
        {
            if (nodes.All(n => n.Node != required))
                throw new DataFormatException(source, null, $"no member '{required.Name}' for {Role(required)} {required.Signature} (line {required.Line})",
                    $"add \"{required.Name}\": {Example(required)}, or give its own file with --data {required.Name}=FILE");
        }
        foreach (var (plate, size) in descriptor.DeclaredSizes ?? new Dictionary<string, int>())
        {
            if (plateMembers.TryGetValue(plate, out var given) && !(given.Member.Shape.Length == 0 && given.Member.Values[0] == size))
                throw new DataFormatException(source, null, $"member '{plate}' gives plate {plate} another size than the {size} its declaration fixes", "remove the member, or change [Plate(Size = ...)]");
            plateMembers[plate] = (new NodeValues(plate, [], [size]), $"the declaration ([Plate(Size = {size})])");
        }
        foreach (var (plate, size) in givenSizes ?? new Dictionary<string, int>())
        {
            if (plateMembers.TryGetValue(plate, out var given) && !(given.Member.Shape.Length == 0 && given.Member.Values[0] == size))
                throw new DataFormatException(source, null, $"member '{plate}' gives plate {plate} another size than the {size} given besides the file", "give each plate's size once");
            plateMembers[plate] = (new NodeValues(plate, [], [size]), $"--plate {plate}={size}");
        }
        var labels = new PlateLabels();
        var aligned = labels.Align(descriptor, nodes.Select(n => n.Values).ToList(), source);
        nodes = nodes.Select((n, i) => (n.Node, aligned[i])).ToList();
        // A plate named only through a plate-index node's names (cell types given by name) has as many entries as names.
        foreach (var plate in descriptor.Plates.Where(p => !plateMembers.ContainsKey(p) && labels[p] is not null && nodes.All(n => !n.Node.Plates.Contains(p))))
            plateMembers[plate] = (new NodeValues(plate, [], [labels[plate]!.Count]), $"the {labels[plate]!.Count} names given for plate {plate}");
        // A plate sized elsewhere must have as many entries as the data name (cell types by name, say).
        foreach (var plate in descriptor.Plates)
        {
            if (labels[plate] is not { } names || !plateMembers.TryGetValue(plate, out var sized) || sized.Member.Shape.Length != 0 || sized.Member.Values[0] == names.Count) continue;
            throw new DataFormatException(source, null,
                $"plate {plate} has {sized.Member.Values[0]} entries ({sized.From}) but {labels.From(plate)} names {names.Count} entries: {string.Join(", ", names.Take(6))}{(names.Count > 6 ? ", ..." : "")}",
                $"give plate {plate} {names.Count} entries, or name only {sized.Member.Values[0]}");
        }
        var sizes = PlateSizes(descriptor, nodes, plateMembers, source);
        foreach (var (plate, size) in sizes) model.SetPlateSize(plate, size);
        void StoreChecked((NodeDescriptor Node, NodeValues Values) bound) =>
            model.Store(bound.Node.Name, Check(bound.Node, bound.Values, sizes, bound.Values.Source ?? source));
        // Data first, so that starting values (the author's hook among them) can be computed from it; then the
        // parameters the file gives, which replace those starting values.
        foreach (var bound in nodes.Where(n => n.Node.Role != GraphNodeRole.Param)) StoreChecked(bound);
        model.InitializeParameters();
        foreach (var bound in nodes.Where(n => n.Node.Role == GraphNodeRole.Param)) StoreChecked(bound);
        return new BoundData(nodes.Select(n => n.Node.Name).ToList(), labels);
    }

    /// <summary>Stores one node's values after the same checks, at the model's current plate sizes (simulation's --set).</summary>
    public static void Store(IDeclaredModel model, NodeDescriptor node, NodeValues values, string source) =>
        model.Store(node.Name, Checked(model, node, values, source));

    /// <summary>Values checked against the node's support and shape as <see cref="Store"/> checks them (a latent's, held fixed in a simulation).</summary>
    public static double[] Checked(IDeclaredModel model, NodeDescriptor node, NodeValues values, string source) =>
        Check(node, values, model.Descriptor.Plates.ToDictionary(p => p, model.GetPlateSize), source);

    private static string Role(NodeDescriptor node) => node.Role.ToString().ToLowerInvariant() + " node";

    private static string Example(NodeDescriptor node) =>
        node.Plates.Count == 0 ? "a number" : $"an array over {string.Join(" x ", node.Plates)}{(node.Plates.Count > 1 ? " (arrays of arrays, row-major)" : "")}";

    /// <summary>Every plate's size, from members named after plates and from each node's shape; disagreements are errors.</summary>
    private static Dictionary<string, int> PlateSizes(ModelDescriptor descriptor, List<(NodeDescriptor Node, NodeValues Values)> nodes,
        Dictionary<string, (NodeValues Member, string From)> plateMembers, string source)
    {
        var sizes = new Dictionary<string, (int Size, string From)>();
        foreach (var (plate, (member, from)) in plateMembers)
        {
            if (member.Shape.Length != 0 || member.Values[0] < 0 || member.Values[0] != Math.Floor(member.Values[0]) || member.Values[0] > int.MaxValue)
                throw new DataFormatException(source, null, $"member '{plate}' names a plate but holds {(member.Shape.Length == 0 ? member.Values[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : $"an array of {member.ShapeText}")}",
                    $"give the size of plate {plate} as a whole number, e.g. \"{plate}\": 10");
            sizes[plate] = ((int)member.Values[0], from);
        }
        foreach (var (node, values) in nodes)
        {
            var from = values.Source ?? source;
            if (values.Shape.Length != node.Plates.Count)
                throw new DataFormatException(from, null,
                    $"member '{node.Name}' is {Shape(values)} but {node.Signature} (line {node.Line}) has {node.Plates.Count} {(node.Plates.Count == 1 ? "plate" : "plates")}",
                    $"give {Example(node)}");
            for (var axis = 0; axis < node.Plates.Count; axis++)
            {
                var plate = node.Plates[axis];
                var size = values.Shape[axis];
                // An empty outer array says nothing about the sizes of the axes inside it.
                if (axis > 0 && values.Shape[axis - 1] == 0) continue;
                if (sizes.TryGetValue(plate, out var known) && known.Size != size)
                    throw new DataFormatException(from, null,
                        $"plate {plate} has {size} entries in '{node.Name}' (axis {axis + 1}) but {known.Size} in {known.From}",
                        "make the arrays agree on every plate's size");
                sizes[plate] = (size, values.Source is null ? $"'{node.Name}'" : $"'{node.Name}' ({Path.GetFileName(values.Source)})");
            }
        }
        foreach (var plate in descriptor.Plates.Where(p => !sizes.ContainsKey(p)))
            throw new DataFormatException(source, null, $"plate {plate} has no size: no member spans it",
                $"add \"{plate}\": N, its number of entries (or pass --plate {plate}=N)");
        return sizes.ToDictionary(s => s.Key, s => s.Value.Size);
    }

    private static string Shape(NodeValues values) => values.Shape.Length == 0 ? "a number" : $"an array of {values.ShapeText}";

    /// <summary>The values as the model stores them (plate indices 0-based), after checking each against the node's support.</summary>
    private static double[] Check(NodeDescriptor node, NodeValues values, Dictionary<string, int> sizes, string source)
    {
        var shape = node.Plates.Select(p => sizes[p]).ToArray();
        var stored = (double[])values.Values.Clone();
        for (var n = 0; n < stored.Length; n++)
        {
            var value = stored[n];
            var problem = Problem(node, value, sizes);
            if (problem is not null)
                throw new DataFormatException(source, null, $"{JsonModelData.Place(node.Name, Position(n, shape))} is {Format(value)}, {problem.Value.What}", problem.Value.Fix);
            if (node.Support == ValueSupport.PlateIndex) stored[n] = value - 1;
        }
        if (node.SimplexOver is { } over) CheckSimplex(node, stored, shape, node.Plates.ToList().IndexOf(over), source);
        return stored;
    }

    private static (string What, string Fix)? Problem(NodeDescriptor node, double value, Dictionary<string, int> sizes)
    {
        if (!double.IsFinite(value)) return ("not a finite number", "give finite values only");
        if (node.IsInteger && value != Math.Floor(value))
            return ($"not an integer, and {node.Name} is an int node", node.Role == GraphNodeRole.Observed ? "give raw integer counts, not normalised or log-transformed values" : "give whole numbers");
        switch (node.Support)
        {
            case ValueSupport.PlateIndex when value < 1 || value > sizes[node.IndexPlate!]:
                return ($"outside plate {node.IndexPlate} (1 to {sizes[node.IndexPlate!]})", $"give 1-based positions in plate {node.IndexPlate}, as Stan does");
            case ValueSupport.Positive when value <= 0:
                return ($"but {node.Name} is {node.SupportFrom ?? "[Positive]"}{(node.SupportFrom is null ? "" : ", which must be positive")}", "give values above 0");
            case ValueSupport.NonNegative or ValueSupport.Count when value < 0:
                return ($"but {node.Name} {(node.SupportFrom is null ? $"holds {(node.Support == ValueSupport.Count ? "counts" : "values")}" : $"is {node.SupportFrom}, which must be")} of 0 or more", "give values of 0 or more");
            case ValueSupport.Binary when value is not (0 or 1):
                return ($"but {node.Name} is drawn from a Bernoulli", "give 0 or 1");
            case ValueSupport.OpenUnitInterval when value is <= 0 or >= 1:
                return ($"but {node.Name} is drawn from a continuous distribution on (0, 1), whose density at 0 and 1 is 0 or infinite",
                    "give values strictly between 0 and 1 (or model the counts behind a fraction with a Binomial)");
            case ValueSupport.UnitInterval when value is < 0 or > 1:
                return ($"but {node.Name} {(node.SupportFrom is null ? "lies" : $"is {node.SupportFrom}, which must lie")} in [0, 1]", "give values between 0 and 1");
        }
        if (value > int.MaxValue && node.IsInteger) return ($"above the largest count this tool stores ({int.MaxValue})", "give smaller integers");
        if (node.Floor is { } floor && value < floor) return ($"below {node.Name}'s [Floor({floor})]", $"give values of {floor} or more");
        return null;
    }

    /// <summary>A [Simplex] node's entries along its simplex plate must sum to 1 (to 1e-6, a file's rounding) for every other index.</summary>
    private static void CheckSimplex(NodeDescriptor node, double[] values, int[] shape, int axis, string source)
    {
        var stride = 1;
        for (var a = axis + 1; a < shape.Length; a++) stride *= shape[a];
        var outer = values.Length / Math.Max(1, shape[axis] * stride);
        for (var o = 0; o < outer; o++)
        {
            for (var s = 0; s < stride; s++)
            {
                var sum = 0.0;
                for (var k = 0; k < shape[axis]; k++) sum += values[(o * shape[axis] + k) * stride + s];
                if (Math.Abs(sum - 1) > 1e-6)
                {
                    var at = Position(o * shape[axis] * stride + s, shape);
                    var place = string.Join(",", at.Select((p, a) => a == axis ? "·" : p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    throw new DataFormatException(source, null, $"{node.Name}[{place}] sums to {Format(sum)} over plate {node.SimplexOver}, but {node.Name} is [Simplex({node.SimplexOver})]",
                        "give each of its columns over that plate as proportions summing to 1");
                }
            }
        }
    }

    /// <summary>The 1-based place of a row-major position.</summary>
    private static int[] Position(int flat, int[] shape)
    {
        var at = new int[shape.Length];
        for (var a = shape.Length - 1; a >= 0; a--)
        {
            at[a] = flat % shape[a] + 1;
            flat /= shape[a];
        }
        return at;
    }

    private static string Format(double value) => value.ToString("G10", System.Globalization.CultureInfo.InvariantCulture);
}
