using System.Globalization;
using System.Security;
using System.Text;

namespace Dsl.Runtime.Graph;

/// <summary>
/// The plate diagram as SVG, drawn with the conventions of the papers' figures: observed nodes grey, latent nodes
/// white circles, deterministic nodes double circles, parameters bare labels. Each distinct set of plates is one band
/// (a plate rectangle named after its plates); within it nodes stand in columns by their depth in the graph.
/// </summary>
public static class SvgGraphRenderer
{
    private const double ColumnWidth = 130, BandHeight = 110, Radius = 24, Margin = 30, LabelSpace = 150;

    public static string Render(ModelGraph graph)
    {
        var depth = Depths(graph);
        var bands = graph.Nodes.GroupBy(n => TextGraphRenderer.PlateKey(n.Plates))
            .OrderBy(g => g.Key.Length == 0 ? 0 : 1).ThenBy(g => g.Min(n => depth[n.Name])).ToList();
        var position = new Dictionary<string, (double X, double Y)>();
        for (var band = 0; band < bands.Count; band++)
        {
            // Each node takes the first free column at or after its depth, so nodes of a band never overlap.
            var column = -1;
            foreach (var node in bands[band].OrderBy(n => depth[n.Name]))
            {
                column = Math.Max(depth[node.Name], column + 1);
                position[node.Name] = (LabelSpace + Margin + column * ColumnWidth, Margin + 20 + band * BandHeight + BandHeight / 2);
            }
        }
        var width = position.Values.Select(p => p.X).DefaultIfEmpty(0).Max() + ColumnWidth;
        var height = Margin * 2 + 20 + bands.Count * BandHeight;

        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n"));
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#333\"/></marker></defs>\n");
        svg.Append(F($"<text x=\"{Margin}\" y=\"{Margin}\" font-size=\"16\" font-weight=\"bold\">{Escape(graph.Name)}{(graph.Description is null ? "" : " - " + Escape(graph.Description))}</text>\n"));
        foreach (var band in bands.Where(b => b.Key.Length > 0))
        {
            var xs = band.Select(n => position[n.Name].X).ToList();
            var y = position[band.First().Name].Y;
            var left = xs.Min() - Radius - 20;
            svg.Append(F($"<rect x=\"{left:0.#}\" y=\"{y - BandHeight / 2 + 8:0.#}\" width=\"{xs.Max() - left + Radius + 20:0.#}\" height=\"{BandHeight - 16:0.#}\" rx=\"6\" fill=\"none\" stroke=\"#555\"/>\n"));
            svg.Append(F($"<text x=\"{left + 6:0.#}\" y=\"{y + BandHeight / 2 - 14:0.#}\" fill=\"#555\" font-style=\"italic\">{Escape(band.Key)}</text>\n"));
        }
        foreach (var (parent, child) in graph.Edges)
            svg.Append(Edge(position[parent], position[child]));
        foreach (var node in graph.Nodes)
            svg.Append(Node(node, position[node.Name]));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Longest path from a root, so every edge points to a later column.</summary>
    private static Dictionary<string, int> Depths(ModelGraph graph)
    {
        var depth = new Dictionary<string, int>();
        int Of(string name) => depth.TryGetValue(name, out var d) ? d
            : depth[name] = graph.Node(name).Parents.Select(Of).DefaultIfEmpty(-1).Max() + 1;
        foreach (var node in graph.Nodes) Of(node.Name);
        return depth;
    }

    private static string Edge((double X, double Y) from, (double X, double Y) to)
    {
        var dx = to.X - from.X;
        var dy = to.Y - from.Y;
        var length = Math.Max(Math.Sqrt(dx * dx + dy * dy), 1e-9);
        var (ux, uy) = (dx / length, dy / length);
        return F($"<line x1=\"{from.X + ux * Radius:0.#}\" y1=\"{from.Y + uy * Radius:0.#}\" x2=\"{to.X - ux * (Radius + 2):0.#}\" y2=\"{to.Y - uy * (Radius + 2):0.#}\" stroke=\"#333\" marker-end=\"url(#arrow)\"/>\n");
    }

    private static string Node(GraphNode node, (double X, double Y) at)
    {
        // Long names get a smaller font so they stay inside the node.
        var size = node.Name.Length <= 6 ? 13 : Math.Max(8, 78 / node.Name.Length);
        var label = F($"<text x=\"{at.X:0.#}\" y=\"{at.Y + 4:0.#}\" text-anchor=\"middle\" font-size=\"{size}\">{Escape(node.Name)}</text>\n");
        var title = $"<title>{Escape(node.Name)}({Escape(string.Join(", ", node.Plates))}) {Escape(node.Definition ?? node.Role.ToString())}</title>";
        return node.Role switch
        {
            GraphNodeRole.Observed => F($"<g>{title}<circle cx=\"{at.X:0.#}\" cy=\"{at.Y:0.#}\" r=\"{Radius}\" fill=\"#c8c8c8\" stroke=\"#000\"/></g>\n") + label,
            GraphNodeRole.Latent => F($"<g>{title}<circle cx=\"{at.X:0.#}\" cy=\"{at.Y:0.#}\" r=\"{Radius}\" fill=\"#fff\" stroke=\"#000\"/></g>\n") + label,
            GraphNodeRole.Deterministic => F($"<g>{title}<circle cx=\"{at.X:0.#}\" cy=\"{at.Y:0.#}\" r=\"{Radius}\" fill=\"#fff\" stroke=\"#000\"/><circle cx=\"{at.X:0.#}\" cy=\"{at.Y:0.#}\" r=\"{Radius - 4}\" fill=\"none\" stroke=\"#000\"/></g>\n") + label,
            GraphNodeRole.Data => F($"<g>{title}<rect x=\"{at.X - Radius * 0.8:0.#}\" y=\"{at.Y - Radius * 0.8:0.#}\" width=\"{Radius * 1.6:0.#}\" height=\"{Radius * 1.6:0.#}\" fill=\"#c8c8c8\" stroke=\"#000\"/></g>\n") + label,
            GraphNodeRole.Network => F($"<g>{title}<rect x=\"{at.X - Radius * 1.3:0.#}\" y=\"{at.Y - Radius * 0.8:0.#}\" width=\"{Radius * 2.6:0.#}\" height=\"{Radius * 1.6:0.#}\" rx=\"10\" fill=\"#e8f0ff\" stroke=\"#000\"/></g>\n") + label,
            _ => F($"<g>{title}<circle cx=\"{at.X:0.#}\" cy=\"{at.Y - 12:0.#}\" r=\"3\" fill=\"#000\"/></g>\n") + label,
        };
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
