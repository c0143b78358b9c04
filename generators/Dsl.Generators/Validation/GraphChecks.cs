using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Validation
{
    /// <summary>Whole-graph checks: acyclic, something observed, every parameter and plate used.</summary>
    internal static class GraphChecks
    {
        public static void Run(ValidationContext context, IReadOnlyDictionary<string, IReadOnlyCollection<string>> parents)
        {
            CheckCycles(context, parents);
            if (context.Model.Nodes.All(n => n.Role != NodeRole.Observed))
                context.Report(DiagnosticDescriptors.NoObservedNode, context.Model.Location);

            // A body with a construct that could not be read names no parents inside it, so "never used" would then be
            // knock-on noise about a node the user did use; other errors leave the graph whole, and the warning stands.
            var used = new HashSet<string>(parents.Values.SelectMany(p => p));
            var unread = new[] { DiagnosticDescriptors.UnsupportedExpression.Id, DiagnosticDescriptors.DistributionInDeterministic.Id };
            if (!context.Diagnostics.Any(d => unread.Contains(d.Id)))
            {
                foreach (var node in context.Model.Nodes.Where(n => n.Role == NodeRole.Param && !used.Contains(n.Name)))
                    context.Report(DiagnosticDescriptors.ParameterUnused, node.Location, node.Name, Remedy(context, node));
                ReportUninformed(context, parents, used);
            }

            // A plate is used as an index, or as a node's value type (a data node valued in it, such as a batch label).
            var platesUsed = new HashSet<string>(context.Model.Nodes.SelectMany(n => n.Indices.Select(i => i.Plate)).Concat(context.Model.Nodes.Select(n => n.ValueType)));
            foreach (var plate in context.Model.Plates.Where(p => !platesUsed.Contains(p.Name)))
                context.Report(DiagnosticDescriptors.PlateUnused, plate.Location, plate.Name);
            foreach (var plate in context.Model.Plates.Where(p => p.Size is double size && !(size >= 1 && size == System.Math.Floor(size) && size <= int.MaxValue)))
                context.Report(DiagnosticDescriptors.PlateSize, plate.Location, plate.Name, plate.Size!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>
        /// DSL0309: a latent or parameter that some node reads but no observation depends on (DataReach). A parameter
        /// nothing reads already has DSL0304; a cycle would make the reach meaningless, and is an error of its own.
        /// </summary>
        private static void ReportUninformed(ValidationContext context, IReadOnlyDictionary<string, IReadOnlyCollection<string>> parents, HashSet<string> used)
        {
            if (context.HasErrors || context.Model.Nodes.All(n => n.Role != NodeRole.Observed)) return;
            var informed = DataReach.Informed(context.Model.Nodes.Where(n => n.Role == NodeRole.Observed).Select(n => n.Name),
                name => parents.TryGetValue(name, out var direct) ? direct : System.Array.Empty<string>());
            foreach (var node in context.Model.Nodes.Where(n => n.Role is NodeRole.Latent or NodeRole.Param && !informed.Contains(n.Name)))
                if (node.Role == NodeRole.Latent || used.Contains(node.Name))
                    context.Report(DiagnosticDescriptors.Uninformed, node.Location, node.Role == NodeRole.Latent ? "latent" : "parameter", node.Name,
                        node.Role == NodeRole.Latent
                            ? "a sampler draws it from its prior, and Gibbs-EM and variational inference leave it out"
                            : "the fit reports no estimate of it",
                        Remedy(context, node));
        }

        /// <summary>What the author can do about a node the data cannot inform: remove it, unless a base model declares it.</summary>
        private static string Remedy(ValidationContext context, NodeDecl node) =>
            context.Model.Inherited.Any(m => m.Name == node.Name)
                ? "the base model declares it and this model overrides the node that read it (nothing to fix, if that was the intent)"
                : "remove it, or make an observation depend on it";

        /// <summary>Depth-first search; reports each cycle once, at the declaration whose reference closes it.</summary>
        private static void CheckCycles(ValidationContext context, IReadOnlyDictionary<string, IReadOnlyCollection<string>> parents)
        {
            var state = new Dictionary<string, bool>(); // false: on the current path, true: finished
            var path = new List<string>();
            foreach (var node in context.Model.Nodes) Visit(node.Name);

            void Visit(string name)
            {
                if (state.TryGetValue(name, out var finished))
                {
                    if (!finished)
                    {
                        var closing = path[path.Count - 1];
                        var cycle = new[] { closing }.Concat(path.Skip(path.IndexOf(name)).TakeWhile(n => n != closing)).Concat(new[] { closing }).ToList();
                        // A deterministic node on the loop is usually a quantity computed from the data (a normaliser, a size): as [Data] it breaks the loop.
                        var computed = cycle.FirstOrDefault(n => context.Nodes[n].Role == NodeRole.Deterministic);
                        var hint = computed is null ? "" : $"; '{computed}' is deterministic: if it is computed from the data, declare it [Data] and pass it in";
                        context.Report(DiagnosticDescriptors.Cycle, context.Nodes[closing].Location, closing, string.Join(" -> ", cycle), hint);
                    }
                    return;
                }
                state[name] = false;
                path.Add(name);
                if (parents.TryGetValue(name, out var direct))
                    foreach (var parent in direct.Where(context.Nodes.ContainsKey)) Visit(parent);
                path.RemoveAt(path.Count - 1);
                state[name] = true;
            }
        }

        /// <summary>Declaration order, moved only as far as needed to put parents first (Kahn's algorithm, stable).</summary>
        public static IReadOnlyList<NodeDecl> TopologicalOrder(ValidationContext context, IReadOnlyDictionary<string, IReadOnlyCollection<string>> parents)
        {
            var placed = new HashSet<string>();
            var order = new List<NodeDecl>();
            var remaining = context.Model.Nodes.ToList();
            while (remaining.Count > 0)
            {
                var next = remaining.First(n => parents[n.Name].All(p => placed.Contains(p) || p == n.Name));
                remaining.Remove(next);
                placed.Add(next.Name);
                order.Add(next);
            }
            return order;
        }
    }
}
