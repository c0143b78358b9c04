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
