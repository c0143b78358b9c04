using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Xunit;

namespace Dsl.Cli.Tests.Sampling;

/// <summary>
/// A discrete latent summed out of the density (the textbook normal mixture's allocations): the sampler moves the
/// continuous latents on the marginal posterior, and the allocations drawn afterwards from their conditionals find
/// the simulated ones.
/// </summary>
public sealed class SummedLatentTests(CompiledDeclarations declarations) : IClassFixture<CompiledDeclarations>
{
    [Fact]
    public void Allocations_DrawnFromTheirConditionals_FindTheTrueClusters()
    {
        var model = declarations.Textbook("NormalMixture");
        var truth = CompiledDeclarations.SimulateInto(model, 300, 12);
        var centres = truth["centre"];
        var fit = SamplingFit.Fit(model, new NutsOptions { Warmup = 300, Samples = 300, Seed = 2 }, null, null);
        var cluster = fit.Nodes.Single(n => n.Node.Name == "cluster");
        // Each observation's draws are its cluster's index, 0-based; the posterior mean rounds to the cluster that
        // holds most of the draws when one does. Points nearer another centre than their own are misassigned by any
        // method: count only those whose own centre is the nearest, at least half a unit ahead of the next.
        var y = truth["y"];
        var clear = Enumerable.Range(0, 300).Where(n =>
        {
            var distances = centres.Select(c => Math.Abs(y[n] - c)).ToArray();
            var own = distances[(int)truth["cluster"][n]];
            return distances.Where((d, k) => k != (int)truth["cluster"][n]).All(d => d > own + 0.5);
        }).ToList();
        var found = clear.Count(n => Math.Round(cluster.Mean[n]) == truth["cluster"][n]);
        // The centres drawn for seed 12 are -4.4, 2.7 and 8.5; of the points clearly nearest their own centre, all but
        // a few per cent go back to it. A sampler that ignored the allocations would match about a third.
        Assert.True(clear.Count > 250, $"only {clear.Count} clear points");
        Assert.True(found >= 0.95 * clear.Count, $"{found} of {clear.Count} clear points found their cluster");
        // The draws of a summed-out latent are real draws: some points have posterior spread between clusters.
        Assert.Contains(cluster.Sd!, sd => sd > 0.2);
    }
}
