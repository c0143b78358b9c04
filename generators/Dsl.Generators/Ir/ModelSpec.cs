using Dsl.Generators.Helpers;

namespace Dsl.Generators.Ir
{
    /// <summary>Stage 2 output: a validated model graph. Nodes are in dependency (topological) order.</summary>
    public sealed record ModelSpec(
        string Namespace,
        string ClassName,
        string Accessibility,
        string? Description,
        EquatableArray<PlateSpec> Plates,
        EquatableArray<NodeSpec> Nodes);

    /// <param name="Size">the size the declaration fixes, or null where the data give it</param>
    public sealed record PlateSpec(string Name, string? Description, int Line, int? Size = null);

    /// <summary>What values a node takes: reals, integers (counts, binary) or indices into a plate.</summary>
    public enum ValueKind
    {
        Real,
        Integer,
        Index,
    }

    /// <summary>
    /// A node of the validated graph with its parents (the nodes its body or distribution reads). A deterministic node
    /// computed from data alone (<see cref="DerivedData"/>) has the role <see cref="NodeRole.Data"/>: it is stored, not inlined.
    /// </summary>
    public sealed record NodeSpec(NodeDecl Declaration, ValueKind Kind, string? IndexPlate, EquatableArray<string> Parents)
    {
        public string Name => Declaration.Name;
        public bool Derived { get; init; }
        public NodeRole Role => Derived ? NodeRole.Data : Declaration.Role;
        public EquatableArray<IndexDecl> Indices => Declaration.Indices;
    }
}
