using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// <c>{Model}.Storage.g.cs</c>: plate index values, and the bodies of the partial methods the author left open
    /// (parameters, data, network outputs), each reading the array that holds its values. Emitted from the
    /// declaration even when validation fails, for every part that is well formed, so that one DSL error does not
    /// bury itself under a C# error per unimplemented partial method.
    /// </summary>
    public static class StorageEmitter
    {
        public static GeneratedFile Emit(ModelDeclaration model)
        {
            var plates = new HashSet<string>(model.Plates.Where(p => p.IsPartial).Select(p => p.Name));
            var uniqueNames = new HashSet<string>(model.Nodes.GroupBy(n => n.Name).Where(g => g.Count() == 1).Select(g => g.Key));
            var writer = EmitHelpers.Header("Storage", model.Namespace, model.ClassName);
            var derived = DerivedData.Names(model.Nodes).Count > 0;
            using (writer.Block($"partial class {model.ClassName}"))
            {
                if (derived)
                {
                    writer.Line("/// <summary>Whether data changed since the nodes derived from them were computed (each data setter sets it).</summary>");
                    // Read by the binding file's derived nodes, which a model that fails validation does not get: no CS0414 then.
                    writer.Line("#pragma warning disable CS0414");
                    writer.Line("private volatile bool derivedStale = true;");
                    writer.Line("#pragma warning restore CS0414");
                    writer.Line();
                }
                foreach (var plate in model.Plates.Where(p => p.IsPartial).GroupBy(p => p.Name).Select(g => g.First()))
                    EmitPlate(writer, plate);
                foreach (var node in model.Nodes.Where(n => uniqueNames.Contains(n.Name) && IsWellFormedStoredNode(n, plates)))
                    EmitStoredNode(writer, node, plates, derived);
            }
            return new GeneratedFile($"{model.ClassName}.Storage.g.cs", writer.ToString());
        }

        private static bool IsWellFormedStoredNode(NodeDecl node, HashSet<string> plates) =>
            node.RoleAttributes.Count == 1
            && node.Role is NodeRole.Param or NodeRole.Data or NodeRole.Network
            && (node.IsPartial && !node.HasBody || Validation.DeclarationChecks.IsParameterWithPrior(node))
            && (node.ValueType is "double" or "int" || plates.Contains(node.ValueType))
            && node.Indices.All(i => plates.Contains(i.Plate))
            && node.Indices.Select(i => i.Variable).Distinct().Count() == node.Indices.Count;

        private static void EmitPlate(SourceWriter writer, PlateDecl plate)
        {
            writer.Line($"/// <summary>An index into plate {plate.Name}{(plate.Description is null ? "" : $" ({plate.Description})")}.</summary>");
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

        /// <param name="derived">whether nodes are derived from the data: setting a data node then marks them stale</param>
        private static void EmitStoredNode(SourceWriter writer, NodeDecl node, HashSet<string> plates, bool derived)
        {
            var isIndex = plates.Contains(node.ValueType);
            var element = node.ValueType == "double" ? "double" : "int";
            var rank = node.Indices.Count;
            var arrayType = rank == 0 ? element : $"{element}[{new string(',', rank - 1)}]";
            var initial = rank == 0 ? "" : $" = new {element}[{string.Join(", ", Enumerable.Repeat("0", rank))}];";
            var parameters = string.Join(", ", node.Indices.Select(i => $"{i.Plate} {i.Variable}"));
            var read = rank == 0 ? $"{node.Name}Values" : $"{node.Name}Values[{string.Join(", ", node.Indices.Select(i => $"{i.Variable}.Value"))}]";
            var value = isIndex ? $"new {node.ValueType}({read})" : read;
            var constraints = string.Join(", ", IrPrinter.ConstraintParts(node.Constraints));

            writer.Line($"/// <summary>Values of [{node.Role}] {IrPrinter.Signature(node)}{(constraints.Length == 0 ? "" : $", {constraints}")} (line {node.Location.Line}).</summary>");
            if (derived && node.Role == NodeRole.Data)
            {
                writer.Line($"public {arrayType} {node.Name}Values {{ get => {node.Name}Stored; set {{ {node.Name}Stored = value; derivedStale = true; }} }}");
                writer.Line($"private {arrayType} {node.Name}Stored{(initial.Length == 0 ? ";" : initial)}");
            }
            else
                writer.Line($"public {arrayType} {node.Name}Values {{ get; set; }}{initial}");
            writer.Line();
            // A parameter with a prior keeps its own body (the Dist.* marker); the others read their storage.
            if (node.HasBody) return;
            var modifiers = node.Modifiers.Length == 0 ? "" : node.Modifiers + " ";
            writer.Line($"{modifiers}partial {node.ValueType} {node.Name}({parameters}) => {value};");
            writer.Line();
        }
    }
}
