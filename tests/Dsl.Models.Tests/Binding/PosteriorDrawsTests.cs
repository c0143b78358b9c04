using Dsl.Models.Tests.Generality;
using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Models.Tests.Binding;

/// <summary>The per-entry summaries of a fit's draws, kept whole or, beyond the memory budget, as running moments.</summary>
public sealed class PosteriorDrawsTests
{
    /// <summary>Draws of beta (3 entries) with known means 0, 1, 2 and sd 1, as an engine would hand them over.</summary>
    private static (PosteriorDraws Draws, double[][] Fed) Record(long budget)
    {
        var model = new LogisticRegression();
        DataBinder.Bind(model, [new NodeValues("x", [2, 3], new double[6]), new NodeValues("y", [2], [0, 1])], "test", _ => { });
        var random = new RandomStream(3, 0);
        var fed = new List<double[]>();
        var draws = new PosteriorDraws(model, 400, (name, destination) =>
        {
            for (var f = 0; f < 3; f++) destination[f] = f + random.NextNormal();
            fed.Add(destination.ToArray());
            return name == "beta";
        }, budget);
        for (var s = 0; s < 400; s++) draws.Record();
        return (draws, fed.ToArray());
    }

    [Fact]
    public void BeyondTheBudget_ANodeKeepsItsExactMeanAndSd_WithoutQuantiles()
    {
        var (kept, fed) = Record(PosteriorDraws.DrawBudget);
        var (moments, _) = Record(budget: 100);
        Assert.Empty(kept.MomentsOnly);
        Assert.Equal(["beta"], moments.MomentsOnly);
        Assert.Contains("beta had too many entries", moments.MomentsNote);
        var whole = kept.Summaries().Single();
        var summed = moments.Summaries().Single();
        for (var f = 0; f < 3; f++)
        {
            var (mean, sd) = ChainStatistics.MeanAndSd(fed.Select(d => d[f]).ToArray());
            // Running sums in double: exact to rounding. Kept draws are floats: 1e-6 relative.
            Assert.Equal(mean, summed.Mean[f], 10);
            Assert.Equal(sd, summed.Sd![f], 10);
            Assert.Equal(mean, whole.Mean[f], 5);
            Assert.Equal(sd, whole.Sd![f], 5);
            Assert.True(double.IsNaN(summed.Q5![f]) && double.IsNaN(summed.EssBulk![f]));
            Assert.InRange(whole.Q5![f], f - 2.0, f - 1.3); // the 5 % point of N(f, 1) is f - 1.645
        }
    }
}
