using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary><c>{Model}.Graph.g.cs</c>: the model's plates, nodes, roles, distributions and edges as data.</summary>
    public static class GraphEmitter
    {
        public static GeneratedFile Emit(ModelSpec model)
        {
            var writer = EmitHelpers.Header("Graph", model.Namespace, model.ClassName);
            using (writer.Block($"partial class {model.ClassName}"))
            {
                writer.Line("/// <summary>The plate diagram of this model: what `dsl graph` draws.</summary>");
                writer.Line("public static global::Dsl.Runtime.Graph.ModelGraph Graph { get; } = new(");
                writer.Line($"    Name: {EmitHelpers.Literal(model.ClassName)},");
                writer.Line($"    Description: {EmitHelpers.Literal(model.Description)},");
                writer.Line("    Plates: new global::Dsl.Runtime.Graph.GraphPlate[]");
                writer.Line("    {");
                foreach (var plate in model.Plates)
                    writer.Line($"        new({EmitHelpers.Literal(plate.Name)}, {EmitHelpers.Literal(plate.Description)}),");
                writer.Line("    },");
                writer.Line("    Nodes: new global::Dsl.Runtime.Graph.GraphNode[]");
                writer.Line("    {");
                foreach (var node in model.Nodes) EmitNode(writer, node);
                writer.Line("    });");
            }
            return new GeneratedFile($"{model.ClassName}.Graph.g.cs", writer.ToString());
        }

        private static void EmitNode(SourceWriter writer, NodeSpec node)
        {
            var declaration = node.Declaration;
            var plates = string.Join(", ", node.Indices.Select(i => EmitHelpers.Literal(i.Plate)));
            var parents = string.Join(", ", node.Parents.Select(EmitHelpers.Literal));
            var constraints = string.Join(", ", IrPrinter.ConstraintParts(declaration.Constraints));
            var network = declaration.Network ?? declaration.Encoder;
            writer.Line($"        // line {declaration.Location.Line}: {IrPrinter.Signature(declaration)}{IrPrinter.Definition(declaration)}");
            writer.Line("        new(");
            writer.Line($"            Name: {EmitHelpers.Literal(node.Name)},");
            writer.Line($"            Role: global::Dsl.Runtime.Graph.GraphNodeRole.{node.Role},");
            writer.Line($"            ValueType: {EmitHelpers.Literal(declaration.ValueType)},");
            writer.Line($"            Plates: [{plates}],");
            writer.Line($"            Definition: {EmitHelpers.Literal(IrPrinter.Definition(declaration).TrimStart(' ', '~', '=') is { Length: > 0 } d ? d : null)},");
            writer.Line($"            Constraints: {EmitHelpers.Literal(constraints.Length == 0 ? null : constraints)},");
            writer.Line($"            Network: {EmitHelpers.Literal(network is null ? null : IrPrinter.Network(network))},");
            writer.Line($"            Parents: [{parents}],");
            writer.Line($"            Line: {declaration.Location.Line}),");
        }
    }
}
