using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// <c>{Model}.Storage.g.cs</c>: plate index values, and the bodies of the partial methods the author left open
    /// (parameters, data, network outputs), each reading the array that holds its values.
    /// </summary>
    public static class StorageEmitter
    {
        public static GeneratedFile Emit(ModelSpec model)
        {
            var writer = EmitHelpers.Header("Storage", model);
            using (EmitHelpers.OpenModel(writer, model))
            {
                foreach (var plate in model.Plates) EmitPlate(writer, plate);
                foreach (var node in model.Nodes.Where(n => n.Role is NodeRole.Param or NodeRole.Data or NodeRole.Network))
                    EmitStoredNode(writer, node);
            }
            return new GeneratedFile($"{model.ClassName}.Storage.g.cs", writer.ToString());
        }

        private static void EmitPlate(SourceWriter writer, PlateSpec plate)
        {
            writer.Line($"/// <summary>An index into plate {plate.Name}{(plate.Description is null ? "" : $" ({plate.Description})")}.</summary>");
            writer.Line(EmitHelpers.GeneratedCodeAttribute);
            using (writer.Block($"partial struct {plate.Name}"))
            {
                writer.Line($"public {plate.Name}(int value) => Value = value;");
                writer.Line();
                writer.Line("/// <summary>Zero-based position in the plate.</summary>");
                writer.Line("public int Value { get; }");
                writer.Line();
                writer.Line($"public override string ToString() => \"{plate.Name}[\" + Value + \"]\";");
            }
            writer.Line();
        }

        private static void EmitStoredNode(SourceWriter writer, NodeSpec node)
        {
            var declaration = node.Declaration;
            var element = node.Kind switch { ValueKind.Real => "double", _ => "int" };
            var rank = node.Indices.Count;
            var arrayType = rank == 0 ? element : $"{element}[{new string(',', rank - 1)}]";
            var initial = rank == 0 ? "" : $" = new {element}[{string.Join(", ", Enumerable.Repeat("0", rank))}];";
            var parameters = string.Join(", ", node.Indices.Select(i => $"{i.Plate} {i.Variable}"));
            var read = rank == 0 ? $"{node.Name}Values" : $"{node.Name}Values[{string.Join(", ", node.Indices.Select(i => $"{i.Variable}.Value"))}]";
            var value = node.Kind == ValueKind.Index ? $"new {node.IndexPlate}({read})" : read;
            var constraints = string.Join(", ", IrPrinter.ConstraintParts(declaration.Constraints));

            writer.Line($"/// <summary>Values of [{node.Role}] {IrPrinter.Signature(declaration)}{(constraints.Length == 0 ? "" : $", {constraints}")} (line {declaration.Location.Line}).</summary>");
            writer.Line(EmitHelpers.GeneratedCodeAttribute);
            writer.Line($"public {arrayType} {node.Name}Values {{ get; set; }}{(rank == 0 ? "" : initial)}");
            writer.Line();
            var modifiers = declaration.Modifiers.Length == 0 ? "" : declaration.Modifiers + " ";
            writer.Line($"{modifiers}partial {declaration.ValueType} {node.Name}({parameters}) => {value};");
            writer.Line();
        }
    }
}
