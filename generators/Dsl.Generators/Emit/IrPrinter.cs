using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>Canonical text dumps of each stage's IR, for snapshots and `dsl check --dump`.</summary>
    public static class IrPrinter
    {
        public static string Print(ModelDeclaration model)
        {
            var writer = new SourceWriter();
            writer.Line($"model {Qualified(model.Namespace, model.ClassName)}{(model.IsPartial ? "" : " (not partial)")}{Described(model.Description)}  @{model.Location.Line}");
            foreach (var plate in model.Plates)
                writer.Line($"plate {plate.Name}{Described(plate.Description)}  @{plate.Location.Line}");
            foreach (var member in model.UnsupportedMembers)
                writer.Line($"unsupported member {member.Name}  @{member.Location.Line}");
            foreach (var node in model.Nodes)
            {
                var roles = node.RoleAttributes.Count == 0 ? "" : string.Join("", node.RoleAttributes.Select(r => $"[{r}]")) + " ";
                writer.Line($"node {roles}{node.ValueType} {Signature(node)}{Definition(node)}{Constraints(node.Constraints)}  @{node.Location.Line}");
                if (node.Network is not null) writer.Line($"    network {Network(node.Network)}");
                if (node.Encoder is not null) writer.Line($"    encoder {Network(node.Encoder)}");
                if (node.Adversarial is { } a) writer.Line($"    {Adversarial(a)}");
            }
            return writer.ToString();
        }

        public static string Print(ModelSpec model)
        {
            var writer = new SourceWriter();
            writer.Line($"graph {Qualified(model.Namespace, model.ClassName)}{Described(model.Description)}");
            foreach (var plate in model.Plates)
                writer.Line($"plate {plate.Name}{Described(plate.Description)}");
            foreach (var node in model.Nodes)
            {
                var kind = node.Kind == ValueKind.Index ? $"index into {node.IndexPlate}" : node.Kind.ToString().ToLowerInvariant();
                writer.Line($"{node.Role.ToString().ToLowerInvariant()} {Signature(node.Declaration)} : {kind}{Definition(node.Declaration)}{Constraints(node.Declaration.Constraints)}");
                if (node.Parents.Count > 0) writer.Line($"    parents {string.Join(", ", node.Parents)}");
                if (node.Declaration.Network is not null) writer.Line($"    network {Network(node.Declaration.Network)}");
                if (node.Declaration.Encoder is not null) writer.Line($"    encoder {Network(node.Declaration.Encoder)}");
                if (node.Declaration.Adversarial is { } a) writer.Line($"    {Adversarial(a)}");
            }
            return writer.ToString();
        }

        private static string Adversarial(AdversarialDecl a) =>
            $"adversarial group '{a.Group}', kappa {CodeExpr.Number(a.Kappa)}, discriminator {a.Layers} x {a.Hidden}, dropout {CodeExpr.Number(a.Dropout)}";

        public static string Signature(NodeDecl node) =>
            $"{node.Name}({string.Join(", ", node.Indices.Select(i => $"{i.Plate} {i.Variable}"))})";

        public static string Definition(NodeDecl node) =>
            node.Distribution is not null ? $" ~ {ExprPrinter.Print(node.Distribution)}"
            : node.Body is not null ? $" = {ExprPrinter.Print(node.Body)}"
            : "";

        public static string Constraints(ConstraintsDecl constraints)
        {
            var parts = ConstraintParts(constraints).ToList();
            return parts.Count == 0 ? "" : "  {" + string.Join(", ", parts) + "}";
        }

        public static System.Collections.Generic.IEnumerable<string> ConstraintParts(ConstraintsDecl constraints)
        {
            if (constraints.Simplex) yield return $"simplex over {constraints.SimplexOver ?? "?"}";
            if (constraints.Positive) yield return "positive";
            if (constraints.Ordered) yield return "ordered";
            if (constraints.Floor is double floor) yield return $"floor {ExprPrinter.Number(floor)}";
        }

        public static string Network(NetworkDecl network)
        {
            var text = $"inputs [{string.Join(", ", network.Inputs)}], {network.Layers} x {network.Hidden} hidden, dropout {ExprPrinter.Number(network.Dropout)}, batch norm {(network.BatchNorm ? "on" : "off")}, output {network.Output}, transform {network.Transform}";
            if (network.SharesWeightsWith is not null) text += $", shares weights with {network.SharesWeightsWith}";
            if (network.SharesHiddenLayersWith is not null) text += $", shares hidden layers with {network.SharesHiddenLayersWith}";
            if (network.SharedLastLayer is not null) text += $", shared last layer '{network.SharedLastLayer}'";
            if (!network.KlWarmup) text += ", KL outside the warm-up";
            return text;
        }

        private static string Qualified(string ns, string name) => ns.Length == 0 ? name : $"{ns}.{name}";

        private static string Described(string? description) => description is null ? "" : $" \"{description}\"";
    }
}
