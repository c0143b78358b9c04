using Dsl.Models.Gimvi;
using Dsl.Models.Scvi;
using Dsl.Models.Ursm;
using Dsl.Runtime.Graph;

namespace Dsl.Models.Tests;

/// <summary>
/// The models as compiled by `dotnet build` with the generator as an analyzer: their generated graphs say what the
/// papers say, and their generated storage behaves.
/// </summary>
public sealed class BundledModelTests
{
    private static HashSet<(string, string)> Edges(ModelGraph graph) => graph.Edges.ToHashSet();

    [Fact]
    public void Ursm_Graph_HasFigure1sNodesRolesAndEdges()
    {
        var graph = Ursm.Ursm.Graph;

        Assert.Equal(GraphNodeRole.Observed, graph.Node("X").Role);
        Assert.Equal(GraphNodeRole.Observed, graph.Node("Y").Role);
        Assert.Equal(GraphNodeRole.Latent, graph.Node("S").Role);
        Assert.Equal(GraphNodeRole.Latent, graph.Node("W").Role);
        Assert.Equal(GraphNodeRole.Deterministic, graph.Node("pi").Role); // double-circled in Figure 1
        Assert.Equal(GraphNodeRole.Param, graph.Node("A").Role);
        Assert.Equal(GraphNodeRole.Param, graph.Node("alpha").Role);
        Assert.Equal(["Gene", "Cell"], graph.Node("Y").Plates);
        Assert.Equal(["Gene", "Bulk"], graph.Node("X").Plates);
        // Figure 1's arrows: alpha -> W -> X <- A; kappa, tau, A -> pi -> S -> Y <- A.
        var figure1 = new HashSet<(string, string)>
        {
            ("alpha", "W"), ("W", "X"), ("A", "X"), ("A", "pi"), ("kappa", "pi"), ("tau", "pi"), ("pi", "S"), ("S", "Y"), ("A", "Y"),
        };
        Assert.Superset(figure1, Edges(graph));
        Assert.DoesNotContain(("W", "Y"), Edges(graph)); // bulk and single-cell parts meet only in A
    }

    [Fact]
    public void Scvi_Graph_FollowsEquations1To7()
    {
        var graph = Scvi.Scvi.Graph;

        Assert.StartsWith("ZeroInflatedNegativeBinomial(mean: l(n) * rho(n, g)", graph.Node("x").Definition);
        Assert.Equal(["s", "z"], graph.Node("rho").Parents);
        Assert.Contains("output Softmax", graph.Node("rho").Network);
        Assert.Contains("transform Log1p", graph.Node("z").Network); // the encoder reads log(1 + x)
        Assert.Equal(["libraryLogMean", "libraryLogVar", "s"], graph.Node("l").Parents);
    }

    [Fact]
    public void Gimvi_Graph_SharesTheDecoder_AndRenormalisesOverSpatialGenes()
    {
        var graph = Gimvi.Gimvi.Graph;

        Assert.Contains("shares weights with rho", graph.Node("rhoSpatial").Network);
        Assert.Contains("shared last layer 'joint'", graph.Node("z").Network);
        Assert.Contains("shared last layer 'joint'", graph.Node("zSpatial").Network);
        Assert.Equal("rhoSpatial(m, geneOf(g)) / Sum[h in SpatialGene](rhoSpatial(m, geneOf(h)))", graph.Node("rhoPrime").Definition);
        Assert.Equal(["SpatialCell", "SpatialGene"], graph.Node("xSpatial").Plates);
    }

    [Fact]
    public void Ursm_Storage_ReadsParametersAndIndexData()
    {
        var model = new Ursm.Ursm
        {
            AValues = new double[,] { { 0.25, 0.5 }, { 0.75, 0.5 } },
            GValues = [1, 0, 1],
        };

        Assert.Equal(new Ursm.Ursm.Type(1), model.G(new Ursm.Ursm.Cell(2)));
        Assert.Equal(0.75, model.A(new Ursm.Ursm.Gene(1), model.G(new Ursm.Ursm.Cell(1))));
        Assert.Equal("Gene[1]", new Ursm.Ursm.Gene(1).ToString());
    }
}
