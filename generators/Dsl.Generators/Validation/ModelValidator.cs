using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Validation
{
    /// <summary>Stage 2: declaration -> validated <see cref="ModelSpec"/> graph, or the diagnostics that say why not.</summary>
    public static class ModelValidator
    {
        public static Result<ModelSpec> Validate(ModelDeclaration model)
        {
            var context = new ValidationContext(model);
            DeclarationChecks.Run(context);
            var parents = new Dictionary<string, IReadOnlyCollection<string>>();
            foreach (var node in model.Nodes)
            {
                var reads = ExpressionChecks.Run(context, node);
                if (node.Role == NodeRole.Network && node.Network is not null)
                    reads = reads.Concat(node.Network.Inputs.Where(context.Nodes.ContainsKey)).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToList();
                parents[node.Name] = reads;
                DistributionChecks.Run(context, node);
                NetworkChecks.Run(context, node);
                MissingEntryChecks.Run(context, node);
            }
            // Duplicate names make the graph ambiguous: report them and stop before graph-wide checks.
            if (model.Nodes.Select(n => n.Name).Distinct().Count() == model.Nodes.Count)
                GraphChecks.Run(context, parents);

            var derived = DerivedData.Names(model.Nodes);
            foreach (var node in model.Nodes.Where(n => !derived.Contains(n.Name)))
                foreach (var position in ExpressionChecks.Expressions(node).SelectMany(OutermostPositions))
                    context.Report(DiagnosticDescriptors.PositionOutsideDerivedData, position.Location, node.Name, Emit.ExprPrinter.Print(position));

            var diagnostics = context.Diagnostics.ToEquatableArray();
            if (context.HasErrors) return new Result<ModelSpec>(null, diagnostics);

            var nodes = GraphChecks.TopologicalOrder(context, parents)
                .Select(n => new NodeSpec(n, KindOf(n, context), context.IndexPlateOf(n), parents[n.Name].ToEquatableArray()) { Derived = derived.Contains(n.Name) })
                .ToEquatableArray();
            var plates = model.Plates.Select(p => new PlateSpec(p.Name, p.Description, p.Location.Line, p.Size is double size ? (int)size : null)).ToEquatableArray();
            return new Result<ModelSpec>(
                new ModelSpec(model.Namespace, model.ClassName, model.Accessibility, model.Description, plates, nodes),
                diagnostics);
        }

        /// <summary>The plate positions an expression computes with, once each: <c>new K(k.Value + 1)</c> whole, not also its <c>k.Value</c>.</summary>
        private static IEnumerable<Expr> OutermostPositions(Expr expr)
        {
            var entries = Derivation.ExprTools.Subexpressions(expr).OfType<PlateEntryExpr>().ToList();
            var inside = new HashSet<Expr>(entries.SelectMany(e => Derivation.ExprTools.Subexpressions(e.Position))); // records: equal by value, which includes the location
            return entries.Concat(Derivation.ExprTools.Subexpressions(expr).OfType<IndexValueExpr>().Where(v => !inside.Contains(v)).Cast<Expr>());
        }

        private static ValueKind KindOf(NodeDecl node, ValidationContext context) =>
            node.ValueType == "double" ? ValueKind.Real : context.IndexPlateOf(node) is null ? ValueKind.Integer : ValueKind.Index;
    }
}
