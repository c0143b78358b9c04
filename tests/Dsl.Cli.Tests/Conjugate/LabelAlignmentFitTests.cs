using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Cli.Tests.Conjugate;

/// <summary>
/// A mixture whose components the declaration cannot tell apart, fitted by both samplers: each chain starts in its
/// own labelling, and after alignment the chains agree (R-hat) and the components are the data's three clusters.
/// </summary>
public sealed class LabelAlignmentFitTests(ConjugateDeclarations declarations) : IClassFixture<ConjugateDeclarations>
{
    [Theory]
    [InlineData(ConjugateGibbsFit.Engine)]
    [InlineData(SamplingFit.Engine)]
    public void ExchangeableComponents_AreAlignedAcrossChains_AndRecoverTheClusters(string engine)
    {
        Assert.Equal(["Component"], ExchangeableMixtureDescriptor().ExchangeablePlates);
        var model = declarations.Create("ExchangeableMixture");
        // 240 points, 80 around each of −6, 0 and 6 with sd 1: clusters 6 sd apart, so the posterior has one mode per labelling.
        var random = new RandomStream(7, 0);
        var y = Enumerable.Range(0, 240).Select(n => 6.0 * (n % 3 - 1) + random.NextNormal()).ToArray();
        model.SetPlateSize("Point", y.Length);
        model.Store("y", y);
        var options = new NutsOptions { Seed = 2, Threads = 2, Warmup = 500, Samples = 500 };
        var fit = engine == ConjugateGibbsFit.Engine ? ConjugateGibbsFit.Fit(model, options, null, null) : SamplingFit.Fit(model, options, null, null);
        Assert.Contains("the entries of plate Component are exchangeable in the declaration, so its labels were aligned", fit.DrawsNote);
        var nodes = fit.Nodes.ToDictionary(n => n.Node.Name);
        // Unaligned, the four chains' centres differ by 6 or 12 and R-hat is in the tens; 1.01 is Stan's threshold.
        foreach (var name in new[] { "centre", "weight", "variance" })
            Assert.All(nodes[name].RHat!, r => Assert.True(r < 1.01, $"{engine}: R-hat of {name} is {r}"));
        // Each centre's posterior sd is about 1/sqrt(80) = 0.11: 0.5 is over four of them.
        var centres = nodes["centre"].Mean.Order().ToArray();
        for (var k = 0; k < 3; k++) Assert.InRange(centres[k], 6.0 * (k - 1) - 0.5, 6.0 * (k - 1) + 0.5);
    }

    private ModelDescriptor ExchangeableMixtureDescriptor() => declarations.Create("ExchangeableMixture").Descriptor;
}
