using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Validation
{
    /// <summary>Checks of the declaration's shape: modifiers, members, names, roles, value types, plates, constraints.</summary>
    internal static class DeclarationChecks
    {
        public static void Run(ValidationContext context)
        {
            var model = context.Model;
            if (!model.IsPartial)
                context.Report(DiagnosticDescriptors.ModelNotPartial, model.Location);
            foreach (var member in model.UnsupportedMembers)
                context.Report(DiagnosticDescriptors.UnsupportedMember, member.Location, member.Name);
            foreach (var plate in model.Plates.Where(p => !p.IsPartial))
                context.Report(DiagnosticDescriptors.PlateNotPartial, plate.Location, plate.Name);
            CheckDuplicateNames(context);
            foreach (var node in model.Nodes)
            {
                CheckRole(context, node);
                CheckValueType(context, node);
                CheckIndices(context, node);
                CheckConstraints(context, node);
            }
        }

        private static void CheckDuplicateNames(ValidationContext context)
        {
            var seen = new System.Collections.Generic.HashSet<string>(context.Model.Plates.Select(p => p.Name));
            foreach (var plate in context.Model.Plates.GroupBy(p => p.Name).Where(g => g.Count() > 1))
                context.Report(DiagnosticDescriptors.DuplicateName, plate.Last().Location, plate.Key);
            foreach (var node in context.Model.Nodes)
            {
                if (!seen.Add(node.Name))
                    context.Report(DiagnosticDescriptors.DuplicateName, node.Location, node.Name);
                foreach (var index in node.Indices.GroupBy(i => i.Variable).Where(g => g.Count() > 1))
                    context.Report(DiagnosticDescriptors.DuplicateName, index.Last().Location, $"{node.Name}'s index '{index.Key}'");
            }
        }

        private static void CheckRole(ValidationContext context, NodeDecl node)
        {
            if (node.RoleAttributes.Count > 1)
            {
                context.Report(DiagnosticDescriptors.ConflictingRoles, node.Location, node.Name,
                    string.Join(", ", node.RoleAttributes.Select(r => $"[{r}]")));
                return;
            }
            switch (node.Role)
            {
                case NodeRole.Param when IsParameterWithPrior(node):
                    break;
                case NodeRole.Param or NodeRole.Data or NodeRole.Network:
                    if (!node.IsPartial || node.HasBody)
                        context.Report(DiagnosticDescriptors.StoredNodeShape, node.Location, node.Name, node.Role.ToString());
                    break;
                case NodeRole.Latent when node.Distribution is null:
                    context.Report(DiagnosticDescriptors.LatentWithoutPrior, node.Location, node.Name);
                    break;
                case NodeRole.Observed when node.Distribution is null:
                    context.Report(DiagnosticDescriptors.ObservedWithoutDistribution, node.Location, node.Name);
                    break;
                case NodeRole.Deterministic when node.Distribution is not null:
                    context.Report(DiagnosticDescriptors.MissingRole, node.Location, node.Name,
                        $"draws from Dist.{node.Distribution.Name} but has no role; mark it [Latent] or [Observed]");
                    break;
                case NodeRole.Deterministic when node.Body is null:
                    context.Report(DiagnosticDescriptors.MissingRole, node.Location, node.Name,
                        "has no body and no role; mark it [Param], [Data] or [Network], or give it a Dist.* or deterministic body");
                    break;
            }
        }

        private static void CheckValueType(ValidationContext context, NodeDecl node)
        {
            if (node.ValueType is "double" or "int" || context.Plates.Contains(node.ValueType)) return;
            context.Report(DiagnosticDescriptors.UnsupportedValueType, node.Location, node.Name, node.ValueType);
        }

        private static void CheckIndices(ValidationContext context, NodeDecl node)
        {
            foreach (var index in node.Indices.Where(i => !context.Plates.Contains(i.Plate)))
                context.Report(DiagnosticDescriptors.UnknownPlate, index.Location, node.Name, index.Plate, context.PlateList);
        }

        private static void CheckConstraints(ValidationContext context, NodeDecl node)
        {
            var constraints = node.Constraints;
            CheckOrdered(context, node);
            var constrained = constraints.Simplex || constraints.Positive || constraints.Floor is not null;
            if (constrained && node.Role != NodeRole.Param)
            {
                context.Report(DiagnosticDescriptors.ConstraintOnNonParameter, node.Location, node.Name, RoleDescription(node.Role));
                return;
            }
            CheckFloor(context, node, constraints);
            if (!constraints.Simplex) return;
            if (constraints.SimplexOver is null)
            {
                context.Report(DiagnosticDescriptors.SimplexAxis, constraints.SimplexLocation, node.Name,
                    "[Simplex] needs the plate its entries sum to one over, e.g. [Simplex(nameof(Gene))]");
            }
            else if (node.Indices.All(i => i.Plate != constraints.SimplexOver))
            {
                var plates = string.Join(", ", node.Indices.Select(i => i.Plate));
                context.Report(DiagnosticDescriptors.SimplexAxis, constraints.SimplexLocation, node.Name,
                    $"[Simplex] sums over '{constraints.SimplexOver}', which is not one of its plates ({(plates.Length == 0 ? "none" : plates)}); name one of them");
            }
        }

        /// <summary>
        /// [Ordered] makes a real latent vector increase along its last plate (the sampler's ordered transform, or its
        /// positive form for a positive prior), so it needs a latent, at least one plate, and a prior on the whole real
        /// line or on the positive reals.
        /// </summary>
        private static void CheckOrdered(ValidationContext context, NodeDecl node)
        {
            if (!node.Constraints.Ordered) return;
            var problem = node.Role != NodeRole.Latent ? "[Ordered] applies to a [Latent] vector only; remove it, or make the node a [Latent] with a prior"
                : node.Indices.Count == 0 ? "[Ordered] needs a vector: give the node a plate its entries increase along (its last index)"
                : node.Distribution is { } d && DistributionCatalog.Find(d.Name) is { } info && (info.Draws is not (Support.Real or Support.Positive) || info.IsVector || d.Name == "Uniform")
                    ? $"[Ordered] needs a prior on the whole real line (Normal, Cauchy, StudentT, Flat) or on the positive reals (Gamma, LogNormal, Exponential, HalfNormal, ...), not Dist.{d.Name}"
                : null;
            if (problem is not null) context.Report(DiagnosticDescriptors.OrderedMisuse, node.Location, node.Name, problem);
        }

        /// <summary>
        /// A floor keeps a constrained parameter's entries off the boundary during the M-step's projection, so it must
        /// lie inside the constraint's range: above 0 for [Positive] and [Simplex], and below 1 for a simplex's shares.
        /// A floor outside would make the projection's feasible set empty or let entries reach zero.
        /// </summary>
        private static void CheckFloor(ValidationContext context, NodeDecl node, ConstraintsDecl constraints)
        {
            if (constraints.Floor is not double floor || !(constraints.Simplex || constraints.Positive)) return;
            var (kind, valid, range) = constraints.Simplex
                ? ("[Simplex]", floor > 0 && floor < 1, "above 0 and below 1 (its entries are shares)")
                : ("[Positive]", floor > 0, "above 0");
            if (!valid)
                context.Report(DiagnosticDescriptors.FloorOutsideConstraint, constraints.FloorLocation ?? node.Location, node.Name,
                    Emit.ExprPrinter.Number(floor), kind, range);
        }

        /// <summary>
        /// A real [Param] whose body is a <c>Dist.*</c> prior, <c>[Param] public double w(Gene g) =&gt; Dist.Normal(0, 1);</c>:
        /// its values are stored as any parameter's, and maximum likelihood adds its log prior (a MAP estimate).
        /// </summary>
        public static bool IsParameterWithPrior(NodeDecl node) => node.Role == NodeRole.Param && node.Distribution is not null && !node.IsPartial && node.ValueType == "double";

        public static string RoleDescription(NodeRole role) => role switch
        {
            NodeRole.Deterministic => "deterministic",
            _ => $"[{role}]",
        };
    }
}
