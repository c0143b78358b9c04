using Dsl.Tests.Shared;
using Xunit;
using GimviModel = Dsl.Models.Gimvi.Gimvi;

namespace Dsl.Models.Tests.Variational;

/// <summary>
/// gimVI's generated joint family (two cell plates, one decoder, encoders sharing their last layer, frequencies
/// renormalised over the spatial genes) against finite differences of the loss over both parts' cells.
/// </summary>
public class GimviGradientTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void JointGradientsMatchFiniteDifferences(bool training) =>
        Assert.True(VariationalGradientCheck.Check(SmallGimvi().CreateJointVariational<double>(seed: 7), training) > 10);

    /// <summary>Every trainable array appears once: the spatial part's decoder and shared encoder layers are the sequencing part's.</summary>
    [Fact]
    public void SharedNetworksAreOneSetOfWeights()
    {
        var family = SmallGimvi().CreateJointVariational<double>(seed: 7);
        var names = family.Parameters.Trainable.Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("rho.output.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("rhoSpatial", StringComparison.Ordinal));
        Assert.Contains("joint.mean.weight", names);
        Assert.Contains("zSpatial.encoder.layer0.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("zSpatial.encoder.mean", StringComparison.Ordinal));
    }

    /// <summary>Each term belongs to the part whose cells it sums over (the driver reports it per cell of that part); the penalty to none.</summary>
    [Fact]
    public void TermsAreAttributedToTheirCellPlates()
    {
        var family = SmallGimvi().CreateJointVariational<double>(seed: 7);
        var parts = Enumerable.Range(0, family.Terms.Count).Select(t => (family.Terms[t].Name, family.PartOfTerm(t))).ToList();
        Assert.Equal([("log p(x)", 0), ("KL(z)", 0), ("KL(l)", 0), ("log p(xSpatial)", 1), ("KL(zSpatial)", 1), ("adversarial(modality)", -1)], parts);
    }

    /// <summary>Nine sequenced cells over six genes; seven spatial cells measuring genes 4, 1 and 2.</summary>
    internal static GimviModel SmallGimvi()
    {
        var model = new GimviModel { SeqCellCount = 9, SpatialCellCount = 7, GeneCount = 6, SpatialGeneCount = 3, DimCount = 2 };
        model.xCounts = GradientCheckTests.RandomCounts(9, 6, seed: 4);
        model.xSpatialCounts = GradientCheckTests.RandomCounts(7, 3, seed: 5);
        model.geneOfValues = new[] { 4, 1, 2 };
        model.libraryLogMeanValues = 2.0;
        model.libraryLogVarValues = 0.4;
        model.spatialLibraryValues = Enumerable.Range(0, 7).Select(m => (double)model.xSpatialCounts.RowValues(m).ToArray().Sum()).ToArray();
        return model;
    }
}

/// <summary>Pairing by gene name never guesses: a spatial gene named twice among the sequenced genes (10x symbols repeat) is refused.</summary>
public class GimviPairingTests
{
    [Fact]
    public void SpatialGeneNamedTwiceAmongSequencedGenes_IsRefused()
    {
        var sequenced = Dsl.Runtime.Data.CountMatrix.FromDense(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, ["c1", "c2"], ["Actb", "Gapdh", "Actb"]);
        var spatial = Dsl.Runtime.Data.CountMatrix.FromDense(new double[,] { { 1, 2 } }, ["s1"], ["Actb", "Gapdh"]);
        var refusal = Assert.Throws<ArgumentException>(() => Dsl.Analysis.Gimvi.GimviInputs.Pair(sequenced, spatial));
        Assert.Contains("holds gene 'Actb' 2 times, and the spatial counts measure it", refusal.Message);
    }
}

/// <summary>The generic fit of declared models (what `dsl fit Gimvi.cs` runs) on a model over two cell plates.</summary>
public class GimviGenericFitTests
{
    [Fact]
    public void GenericVariationalFit_SummarisesBothPlatesLatents_AndDecodesBothNetworks()
    {
        var model = GimviGradientTests.SmallGimvi();
        var options = new Dsl.Runtime.Variational.VariationalOptions { Epochs = 3, Seed = 2, Threads = 1 };
        var fit = Dsl.Runtime.Models.VariationalFit.Fit(model, options, draws: 5, checkpoint: null, progress: null, warn: null);
        var summaries = fit.Nodes.ToDictionary(n => n.Node.Name);
        // z over 9 sequenced cells and zSpatial over 7 spatial cells, 2 dimensions each, every entry drawn from q.
        Assert.Equal(18, summaries["z"].Mean.Length);
        Assert.Equal(14, summaries["zSpatial"].Mean.Length);
        Assert.All(summaries["zSpatial"].Sd!, sd => Assert.True(sd > 0));
        var decoded = fit.DenseOutputs!.ToDictionary(n => n.Node.Name);
        Assert.Equal(7 * 6, decoded["rhoSpatial"].Mean.Length);
        // The spatial cells' decoded frequencies are a softmax over all six genes: each row sums to one.
        for (var m = 0; m < 7; m++) Assert.Equal(1.0, decoded["rhoSpatial"].Mean.Skip(m * 6).Take(6).Sum(), 5);
        Assert.Equal(3, fit.History.Rows.Count);
    }
}
