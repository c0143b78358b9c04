using System.Text;

namespace Dsl.Runtime.Graph;

/// <summary>The plate diagram as text: plates, then nodes grouped by the plates they range over.</summary>
public static class TextGraphRenderer
{
    public static string Render(ModelGraph graph)
    {
        var text = new StringBuilder();
        text.Append("Plate model ").Append(graph.Name);
        if (graph.Description is not null) text.Append(" - ").Append(graph.Description);
        text.Append('\n');
        text.Append("Plates: ").Append(string.Join(", ", graph.Plates.Select(p => p.Description is null ? p.Name : $"{p.Name} ({p.Description})"))).Append('\n');
        foreach (var group in graph.Nodes.GroupBy(n => PlateKey(n.Plates)))
        {
            text.Append('\n').Append(group.Key.Length == 0 ? "[no plate]" : $"[{group.Key}]").Append('\n');
            foreach (var node in group)
            {
                text.Append("  ").Append(Symbol(node.Role)).Append(' ').Append(node.Name);
                text.Append("  ").Append(node.Role.ToString().ToLowerInvariant());
                if (node.Definition is not null) text.Append(node.Role is GraphNodeRole.Latent or GraphNodeRole.Observed ? " ~ " : " = ").Append(node.Definition);
                if (node.Constraints is not null) text.Append("  {").Append(node.Constraints).Append('}');
                if (node.Parents.Count > 0) text.Append("  <- ").Append(string.Join(", ", node.Parents));
                text.Append('\n');
                if (node.Network is not null) text.Append("      network: ").Append(node.Network).Append('\n');
            }
        }
        text.Append("\nLegend: (o) latent  [x] observed  ((=)) deterministic  -> parameter  <d> data  #> network\n");
        return text.ToString();
    }

    public static string PlateKey(IReadOnlyList<string> plates) => string.Join(" x ", plates.Distinct());

    private static string Symbol(GraphNodeRole role) => role switch
    {
        GraphNodeRole.Latent => "(o)",
        GraphNodeRole.Observed => "[x]",
        GraphNodeRole.Deterministic => "((=))",
        GraphNodeRole.Param => "->",
        GraphNodeRole.Data => "<d>",
        _ => "#>",
    };
}
