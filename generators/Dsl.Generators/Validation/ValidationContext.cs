using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Ir;
using Microsoft.CodeAnalysis;

namespace Dsl.Generators.Validation
{
    /// <summary>What every check needs: the declaration, name lookups, and the diagnostics found so far.</summary>
    internal sealed class ValidationContext
    {
        private readonly List<DiagnosticInfo> diagnostics = new();

        public ValidationContext(ModelDeclaration model)
        {
            Model = model;
            Plates = new HashSet<string>(model.Plates.Select(p => p.Name));
            Nodes = new Dictionary<string, NodeDecl>();
            foreach (var node in model.Nodes)
                if (!Nodes.ContainsKey(node.Name)) Nodes.Add(node.Name, node);
        }

        public ModelDeclaration Model { get; }
        public HashSet<string> Plates { get; }
        public Dictionary<string, NodeDecl> Nodes { get; }
        public IReadOnlyList<DiagnosticInfo> Diagnostics => diagnostics;
        public bool HasErrors => diagnostics.Any(d => d.IsError);

        public string PlateList => Plates.Count == 0 ? "(none declared)" : string.Join(", ", Plates.OrderBy(p => p));

        /// <summary>Reports with the model name prepended, as every message begins with it.</summary>
        public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? Model.Location, new[] { Model.ClassName }.Concat(arguments).ToArray()));

        /// <summary>The plate a value-typed node indexes into, when its value type names a plate.</summary>
        public string? IndexPlateOf(NodeDecl node) => Plates.Contains(node.ValueType) ? node.ValueType : null;
    }
}
