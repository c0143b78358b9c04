using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Xunit;

namespace Dsl.Cli.Tests.Sampling;

/// <summary>
/// A latent the data never see keeps its prior as its posterior, so the sampler must give the prior back through its
/// transform: here a Dirichlet(1.5) simplex over four parts, whose every share is Beta(1.5, 4.5) (mean 0.25, sd 0.164).
/// A stick-breaking map with a wrong or missing Jacobian term moves these moments by tens of per cent.
/// </summary>
public sealed class TransformTests(CompiledDeclarations declarations) : IClassFixture<CompiledDeclarations>
{
    [Fact]
    public void ASimplexLeftToItsPrior_HasItsDirichletMarginals()
    {
        var model = declarations.Textbook("SimplexPrior");
        CompiledDeclarations.SimulateInto(model, 10, 3);
        var fit = SamplingFit.Fit(model, new NutsOptions { Seed = 5 }, null, null);
        var share = fit.Nodes.Single(n => n.Node.Name == "share");
        var sd = Math.Sqrt(1.5 * 4.5 / (6.0 * 6.0 * 7.0));
        for (var p = 0; p < 4; p++)
        {
            // 4000 draws: the mean is good to its MCSE (5 MCSE fail once in a million), the sd to about 2 % (8 % bars).
            Assert.True(Math.Abs(share.Mean[p] - 0.25) < 5 * share.Mcse![p], $"share[{p}]: mean {share.Mean[p]}, MCSE {share.Mcse[p]}");
            Assert.InRange(share.Sd![p] / sd, 0.92, 1.08);
        }
        // Every draw is on the simplex (kept as floats: 7 digits).
        Assert.Equal(1.0, share.Mean.Sum(), 6);
    }
}
