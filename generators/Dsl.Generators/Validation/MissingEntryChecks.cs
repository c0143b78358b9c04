using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Validation
{
    /// <summary>
    /// <c>[MeasuredWhere(nameof(mask))]</c> and <c>[ZerosMissing]</c> say which entries of an observation count. They
    /// belong on an <c>[Observed]</c> node, one of them at a time, and a mask must be a numeric <c>[Data]</c> node over
    /// exactly the observation's plates in the same order, so that entry for entry it says measured (non-zero) or not.
    /// </summary>
    internal static class MissingEntryChecks
    {
        public static void Run(ValidationContext context, NodeDecl node)
        {
            if (node.Constraints.Missing is not { } missing) return;
            var problem = Problem(context, node, missing);
            if (problem is not null) context.Report(DiagnosticDescriptors.MissingEntriesMisuse, missing.Location, node.Name, problem);
        }

        private static string? Problem(ValidationContext context, NodeDecl node, MissingDecl missing)
        {
            if (node.Role != NodeRole.Observed)
                return $"only an [Observed] node has entries that can be missing, and '{node.Name}' is {DeclarationChecks.RoleDescription(node.Role)}; remove the attribute";
            if (missing.Mask is null) return null;
            if (missing.Zeros) return "[MeasuredWhere] and [ZerosMissing] both say which entries are missing; keep one";
            if (!context.Nodes.TryGetValue(missing.Mask, out var mask))
                return $"[MeasuredWhere] names '{missing.Mask}', which is not a node of the model; name a [Data] node over ({Plates(node)}), e.g. [MeasuredWhere(nameof(measured))]";
            if (mask.Role != NodeRole.Data || mask.ValueType is not ("double" or "int"))
                return $"[MeasuredWhere] names '{mask.Name}', which is not a numeric [Data] node; declare the mask as [Data] public partial int {mask.Name}({string.Join(", ", node.Indices.Select(i => $"{i.Plate} {i.Variable}"))})";
            if (!mask.Indices.Select(i => i.Plate).SequenceEqual(node.Indices.Select(i => i.Plate)))
                return $"the mask '{mask.Name}' is over ({Plates(mask)}) but '{node.Name}' is over ({Plates(node)}); the mask needs the same plates in the same order, one flag per entry";
            return null;
        }

        private static string Plates(NodeDecl node) => node.Indices.Count == 0 ? "no plates" : string.Join(", ", node.Indices.Select(i => i.Plate));
    }
}
