using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Cli.Tests.Conjugate;

/// <summary>
/// Components or factors the declaration cannot tell apart, fitted by both samplers: a mixture whose chains each start
/// in their own labelling, and a Poisson factorisation whose chains find its programmes in either order. After
/// alignment the chains agree (R-hat) and the labels are the data's clusters or programmes.
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

    /// <summary>
    /// A factor model: the counts see only Σ_k w(g, k)·h(c, k). Two programmes, genes 1-10 and 11-20, each active in
    /// half of the cells. Unaligned, the chains that found them in the other order make R-hat of every loading large.
    /// </summary>
    [Theory]
    [InlineData(ConjugateGibbsFit.Engine)]
    [InlineData(SamplingFit.Engine)]
    public void FactorsOfAPoissonFactorisation_AreAlignedAcrossChains_AndRecoverTheProgrammes(string engine)
    {
        var model = declarations.Create("PoissonFactorisation");
        Assert.Equal(["Factor"], model.Descriptor.ExchangeablePlates);
        var (cells, genes) = (40, 20);
        var random = new RandomStream(5, 0);
        // Loading 2 inside a programme and 0.05 outside; score 10 on the cell's own programme and 0.5 on the other.
        var y = new double[cells * genes];
        for (var c = 0; c < cells; c++)
            for (var g = 0; g < genes; g++)
            {
                var own = (g < 10) == (c % 2 == 0);
                y[c * genes + g] = Runtime.Sampling.Poisson.Sample(own ? 2 * 10 + 0.05 * 0.5 : 0.05 * 10 + 2 * 0.5, ref random);
            }
        model.SetPlateSize("Cell", cells);
        model.SetPlateSize("Gene", genes);
        model.Store("y", y);
        var options = new NutsOptions { Seed = 4, Threads = 2, Warmup = 500, Samples = 500 };
        var fit = engine == ConjugateGibbsFit.Engine ? ConjugateGibbsFit.Fit(model, options, null, null) : SamplingFit.Fit(model, options, null, null);
        Assert.Contains("the entries of plate Factor are exchangeable in the declaration", fit.DrawsNote);
        var w = fit.Nodes.Single(n => n.Node.Name == "w");
        // Aligned, the largest R-hat is 1.11 (NUTS) and 1.24 (Gibbs): each factor's scale trades between w and h
        // (w·c, h/c fit alike), a ridge only the priors bound, which no relabelling removes. Unaligned, every
        // loading's R-hat is above 1.5 (NUTS) and 1.75 (Gibbs), the chains holding the programmes in either order.
        Assert.All(w.RHat!, r => Assert.True(r < 1.35, $"{engine}: R-hat of w is {r}"));
        // Each factor is one programme: its mean loading inside is over ten times its mean loading outside.
        for (var k = 0; k < 2; k++)
        {
            var first = Enumerable.Range(0, 10).Average(g => w.Mean[g * 2 + k]);
            var second = Enumerable.Range(10, 10).Average(g => w.Mean[g * 2 + k]);
            Assert.True(Math.Max(first, second) > 10 * Math.Min(first, second), $"{engine}: factor {k + 1} mixes the programmes ({first}, {second})");
        }
    }

    private ModelDescriptor ExchangeableMixtureDescriptor() => declarations.Create("ExchangeableMixture").Descriptor;
}
