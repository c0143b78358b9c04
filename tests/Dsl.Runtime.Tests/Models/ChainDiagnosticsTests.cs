using Dsl.Runtime.Graph;
using Dsl.Runtime.Models;
using Xunit;

namespace Dsl.Runtime.Tests.Models;

/// <summary>Stan's convergence advice as the engines print it.</summary>
public sealed class ChainDiagnosticsTests
{
    private static NodeSummary Entry(string name, double[][] chains)
    {
        var d = ChainStatistics.Summarise(chains);
        return new NodeSummary(new NodeDescriptor(name, GraphNodeRole.Latent, [], ValueSupport.Real, null, null, null, 1), [], [d.Mean], [d.Sd], [d.Mcse], [d.Q5], [d.Q95],
            [d.EssBulk], [d.EssTail], [d.RHat]);
    }

    [Fact]
    public void ChainsEachHeldAtTheirOwnValue_AreReportedAsDisagreeing_WithABoundNotDigits()
    {
        // A mixture's label held in each chain at its own component: no spread within chains, so the R-hat is
        // infinite. Before, an infinite R-hat was skipped (no warning at all) and a huge finite one printed in full.
        var stuck = Entry("z", Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, 500).Select(_ => (double)(c % 2)).ToArray()).ToArray());
        var mixing = Entry("mu", Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, 500).Select(t => Math.Sin(7.1 * t + c)).ToArray()).ToArray());
        var lines = new List<string>();
        ChainDiagnostics.WarnUnconverged([mixing, stuck], lines.Add);
        Assert.Contains("R-hat of z (entry 1) is above 100 > 1.01: the chains disagree; run more --samples and --warmup", lines);
    }
}
