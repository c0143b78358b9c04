using System.Xml.Linq;
using Dsl.Runtime.Graph;

namespace Dsl.Runtime.Tests;

public sealed class GraphRendererTests
{
    private static readonly ModelGraph graph = new("Toy", "a toy", [new GraphPlate("Cell", null), new GraphPlate("Gene", "genes")],
    [
        new GraphNode("mu", GraphNodeRole.Param, "double", [], null, "positive", null, [], 1),
        new GraphNode("z", GraphNodeRole.Latent, "double", ["Cell"], "Normal(mean: mu(), sd: 1)", null, null, ["mu"], 2),
        new GraphNode("rate", GraphNodeRole.Deterministic, "double", ["Cell", "Gene"], "Exp(z(c))", null, null, ["z"], 3),
        new GraphNode("y", GraphNodeRole.Observed, "int", ["Cell", "Gene"], "Poisson(rate: rate(c, g))", null, null, ["rate"], 4),
    ]);

    [Fact]
    public void Text_ListsEveryNodeUnderItsPlates()
    {
        var text = TextGraphRenderer.Render(graph);

        Assert.Contains("[Cell x Gene]\n  ((=)) rate  deterministic = Exp(z(c))  <- z\n  [x] y  observed ~ Poisson(rate: rate(c, g))  <- rate", text);
        Assert.Contains("(o) z  latent ~ Normal(mean: mu(), sd: 1)  <- mu", text);
        Assert.Contains("-> mu  param  {positive}", text);
    }

    [Fact]
    public void Svg_IsWellFormed_WithAShapePerNode_AndALinePerEdge()
    {
        var svg = XDocument.Parse(SvgGraphRenderer.Render(graph));
        XNamespace ns = "http://www.w3.org/2000/svg";

        var labels = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("z", labels);
        Assert.Contains("Cell x Gene", labels);
        Assert.Equal(3, svg.Descendants(ns + "line").Count());
        Assert.Single(svg.Descendants(ns + "circle"), c => c.Attribute("fill")?.Value == "#c8c8c8"); // the observed y
        Assert.Equal(2, svg.Descendants(ns + "rect").Count(r => r.Attribute("fill")?.Value == "none")); // plates Cell, Cell x Gene
    }
}
