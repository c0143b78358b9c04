using Dsl.Cli.Tests.Sampling;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Xunit;

namespace Dsl.Cli.Tests.Conjugate;

/// <summary>Exact Gibbs's slice steps tune their widths in warm-up, so a conditional far wider than the first width still mixes.</summary>
public sealed class SliceWidthTests(ConjugateDeclarations declarations) : IClassFixture<ConjugateDeclarations>
{
    /// <summary>
    /// WideLocation's location has a conditional sd of about 60 from 10 readings, and the chains start at prior draws
    /// (Cauchy, scale 1,000). At the first width, 1, a slice step steps out at most 32 widths, so an untuned chain
    /// random-walks in moves of about 10: measured with the tuning switched off, the four chains had not met in 1,500
    /// sweeps (pooled sd 2,300 to 2,900 at seeds 1-3). With the width tuned in warm-up near 2.3 conditional sds,
    /// successive draws are nearly independent: bulk ESS 3,590 to 3,800 of 4,000 at seeds 1-3, so half the draws is
    /// a safe bar.
    /// </summary>
    [Fact]
    public void AConditionalAHundredWidthsWide_MixesAfterWarmUp()
    {
        var model = declarations.Create("WideLocation");
        CompiledDeclarations.SimulateInto(model, 10, 7);
        var fit = ConjugateGibbsFit.Fit(model, new NutsOptions { Seed = 3, Threads = 2, Warmup = 500, Samples = 1000 }, null, null);
        var location = fit.Nodes.Single(n => n.Node.Name == "location");
        Assert.True(location.Sd![0] is > 30 and < 200, $"posterior sd {location.Sd[0]}: the test needs a conditional far wider than 1");
        Assert.True(location.EssBulk![0] >= 2000, $"bulk ESS {location.EssBulk[0]} of 4,000 draws");
    }
}
