using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The nodes a declaration derives from its data alone (<see cref="DerivedData"/>): each one's values as a property
    /// that computes every derived node, in dependency order, the first time one is read after a data node was set,
    /// so the rules and emitters read them like data and no inference loop re-evaluates them.
    /// </summary>
    internal static class DerivedDataEmitter
    {
        public static void Emit(SourceWriter w, ModelSpec spec)
        {
            var derived = spec.Nodes.Where(n => n.Derived).ToList();
            if (derived.Count == 0) return;
            foreach (var node in derived)
            {
                var element = Element(node);
                var type = node.Indices.Count == 0 ? element : $"{element}[{new string(',', node.Indices.Count - 1)}]";
                w.Line($"/// <summary>{Signature(node)} = {ExprPrinter.Print(node.Declaration.Body!)} (line {node.Declaration.Location.Line}), computed from the data once they are set.</summary>");
                w.Line($"public {type} {node.Name}Values {{ get {{ if (derivedStale) EnsureDerived(); return {node.Name}Derived; }} }}");
                w.Line($"private {type} {node.Name}Derived{(node.Indices.Count == 0 ? "" : $" = new {element}[{string.Join(", ", node.Indices.Select(_ => "0"))}]")};");
                w.Line();
            }
            w.Line("private readonly object derivedLock = new();");
            w.Line("private int derivingThread = -1;");
            w.Line();
            w.Line("/// <summary>Computes the derived nodes once, whichever thread reads one first; reads within the computation see the nodes before it.</summary>");
            using (w.Block("private void EnsureDerived()"))
            {
                w.Line("if (derivingThread == global::System.Environment.CurrentManagedThreadId) return;");
                using (w.Block("lock (derivedLock)"))
                {
                    w.Line("if (!derivedStale) return;");
                    w.Line("derivingThread = global::System.Environment.CurrentManagedThreadId;");
                    using (w.Block("try"))
                    {
                        foreach (var node in derived) EmitDerivation(w, spec, node);
                        w.Line("derivedStale = false;");
                    }
                    using (w.Block("finally"))
                        w.Line("derivingThread = -1;");
                }
            }
            w.Line();
        }

        private static void EmitDerivation(SourceWriter w, ModelSpec spec, NodeSpec node)
        {
            var body = node.Declaration.Body!;
            var code = new CodeExpr(spec, node.Indices.ToDictionary(i => i.Variable, i => i.Variable));
            var reads = string.Join(", ", node.Parents);
            var check = node.Kind == ValueKind.Index
                ? $"global::Dsl.Runtime.Models.DerivedValues.RequireEntries({EmitHelpers.Literal(node.Name)}, {node.Declaration.Location.Line}, {node.Name}Derived, {CodeExpr.Size(node.IndexPlate!)}, {EmitHelpers.Literal(node.IndexPlate)});"
                : $"global::Dsl.Runtime.Models.DerivedValues.RequireFinite({EmitHelpers.Literal(node.Name)}, {node.Declaration.Location.Line}, {EmitHelpers.Literal(reads)}, {node.Name}Derived);";
            w.Line($"// {Signature(node)} = {ExprPrinter.Print(body)}");
            if (node.Indices.Count == 0)
            {
                w.Line($"{node.Name}Derived = {code.Of(body)};");
                w.Line(check);
                return;
            }
            w.Line($"{node.Name}Derived = new {Element(node)}[{string.Join(", ", node.Indices.Select(i => CodeExpr.Size(i.Plate)))}];");
            using (BindingEmitter.Loops(w, node.Indices))
                w.Line($"{node.Name}Derived[{string.Join(", ", node.Indices.Select(i => i.Variable))}] = {code.Of(body)};");
            w.Line(check);
        }

        /// <summary>An index-valued node holds entries of its plate, as the int positions data index nodes hold.</summary>
        private static string Element(NodeSpec node) => node.Kind == ValueKind.Index ? "int" : "double";

        private static string Signature(NodeSpec node) => $"{node.Name}({string.Join(", ", node.Indices.Select(i => i.Variable))})";
    }
}
