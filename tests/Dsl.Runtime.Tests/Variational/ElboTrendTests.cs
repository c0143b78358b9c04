using Dsl.Runtime.Random;
using Dsl.Runtime.Variational;

namespace Dsl.Runtime.Tests.Variational;

public class ElboTrendTests
{
    private static readonly ElboTerm[] terms = [new("log p(x)", false), new("KL(z)", true)];

    /// <summary>A history whose per-cell log-likelihood follows <paramref name="likelihood"/> (KL fixed at 5), with seeded noise of sd 0.05.</summary>
    private static List<EpochRecord> History(int epochs, Func<int, double> likelihood, bool validation = true)
    {
        var random = new RandomStream(3, 0);
        return Enumerable.Range(0, epochs).Select(e =>
        {
            double[] values = [likelihood(e) + 0.05 * random.NextNormal(), 5];
            return new EpochRecord(e + 1, 1, values, values[0] - values[1], validation ? values : [double.NaN, double.NaN], validation ? values[0] - values[1] : double.NaN, 0.01);
        }).ToList();
    }

    [Fact]
    public void AConvergedFit_GetsNoWarning() => Assert.Null(ElboTrend.StillRising(History(400, e => -100 + 50 * Math.Exp(-e / 20.0)), terms));

    /// <summary>Rising 0.1 per epoch at −100: over another 100 epochs about 10, ten times the 1 % bar.</summary>
    [Fact]
    public void AFitStillClimbing_IsToldSo_WithTheProjectedGain()
    {
        var warning = ElboTrend.StillRising(History(400, e => -140 + 0.1 * e), terms);
        Assert.NotNull(warning);
        Assert.StartsWith("the validation ELBO was still rising when the fit stopped (about 10", warning);
        Assert.Contains("--epochs", warning);
    }

    /// <summary>The KL term counts at full weight: a likelihood gain matched by a KL loss is no gain.</summary>
    [Fact]
    public void TheJudgementUsesTheFullWeightElbo()
    {
        var history = History(400, e => -140 + 0.1 * e).Select(r => r with { Validation = [r.Validation[0], 5 + 0.1 * (r.Epoch - 1)] }).ToList();
        Assert.Null(ElboTrend.StillRising(history, terms));
    }

    [Fact]
    public void WithoutValidationCells_TheTrainingElboIsJudged() =>
        Assert.StartsWith("the training ELBO", ElboTrend.StillRising(History(400, e => -140 + 0.1 * e, validation: false), terms));

    [Fact]
    public void AFitTooShortToJudge_GetsNoWarning() => Assert.Null(ElboTrend.StillRising(History(10, e => -140 + 5 * e), terms));
}
