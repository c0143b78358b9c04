namespace Dsl.Runtime.Graph;

public enum GraphNodeRole
{
    Param,
    Data,
    Latent,
    Observed,
    Deterministic,
    Network,
}

public sealed record GraphPlate(string Name, string? Description);

/// <summary>One node of a plate diagram, as the generator describes it.</summary>
public sealed record GraphNode(
    string Name,
    GraphNodeRole Role,
    string ValueType,
    IReadOnlyList<string> Plates,
    string? Definition,
    string? Constraints,
    string? Network,
    IReadOnlyList<string> Parents,
    int Line);

/// <summary>A model's plate diagram: emitted by the generator as <c>Model.Graph</c>.</summary>
public sealed record ModelGraph(string Name, string? Description, IReadOnlyList<GraphPlate> Plates, IReadOnlyList<GraphNode> Nodes)
{
    public GraphNode Node(string name) => Nodes.First(n => n.Name == name);

    /// <summary>Every edge parent -> child.</summary>
    public IEnumerable<(string Parent, string Child)> Edges =>
        Nodes.SelectMany(child => child.Parents.Select(parent => (parent, child.Name)));
}
