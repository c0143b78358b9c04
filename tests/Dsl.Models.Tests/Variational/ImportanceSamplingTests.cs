using Dsl.Runtime.Special;
using Dsl.Runtime.Variational;
using Xunit;

namespace Dsl.Models.Tests.Variational;

/// <summary>The generated importance weights against an exact marginal likelihood computed by quadrature.</summary>
public class ImportanceSamplingTests
{
    [Fact]
    public void ImportanceSampledMarginalMatchesQuadrature()
    {
        const int cells = 6, genes = 3;
        var model = new PoissonScaleModel { CellCount = cells, GeneCount = genes };
        model.xCounts = GradientCheckTests.RandomCounts(cells, genes, seed: 4);
        var variational = new PoissonScaleModel.Variational<double>(model, seed: 2);
        var rates = Enumerable.Range(0, genes).Select(variational.rateAt).ToArray();
        var elements = Enumerable.Range(0, cells).ToArray();

        var manyDraws = ImportanceSampling.MarginalLogLikelihood(variational, elements, samples: 20000, seed: 7);
        var oneDraw = ImportanceSampling.MarginalLogLikelihood(variational, elements, samples: 1, seed: 7);
        for (var n = 0; n < cells; n++)
        {
            var exact = ExactLogMarginal(Row(model.xCounts, n), rates);
            // 20,000 draws from an untrained but overlapping q: the relative standard error of the mean weight is
            // below 1 % here, so 0.02 nats; a missing log-scale Jacobian or a wrong prior would shift it by > 0.3.
            Assert.InRange(manyDraws[n] - exact, -0.02, 0.02);
        }
        // One draw is the ELBO's estimate; it must sit clearly below the marginal on average (Jensen), or the
        // test above would not tell a tight bound from a loose one.
        var gap = Enumerable.Range(0, cells).Average(n => ExactLogMarginal(Row(model.xCounts, n), rates) - oneDraw[n]);
        Assert.True(gap > 0.05, $"mean gap of one draw {gap}");
    }

    private static double[] Row(Dsl.Runtime.Data.CountMatrix counts, int cell)
    {
        var row = new double[counts.Genes];
        counts.Densify(cell, row);
        return row;
    }

    /// <summary>log ∫ Π_g Poisson(x_g | e^u·r_g) N(u; 0.5, 0.7²) du by the trapezoid rule on ±12 sd.</summary>
    private static double ExactLogMarginal(double[] counts, double[] rates)
    {
        const double mean = 0.5, sd = 0.7;
        const int points = 40001;
        var low = mean - 12 * sd;
        var step = 24 * sd / (points - 1);
        var logTerms = new double[points];
        for (var i = 0; i < points; i++)
        {
            var u = low + i * step;
            var log = -0.5 * Math.Log(2 * Math.PI * sd * sd) - 0.5 * (u - mean) * (u - mean) / (sd * sd);
            for (var g = 0; g < counts.Length; g++)
            {
                var rate = Math.Exp(u) * rates[g];
                log += counts[g] * Math.Log(rate) - rate - SpecialFunctions.LogGamma(counts[g] + 1);
            }
            logTerms[i] = log + Math.Log(step) + (i == 0 || i == points - 1 ? Math.Log(0.5) : 0);
        }
        return ImportanceSampling.LogMeanExp(logTerms) + Math.Log(points);
    }
}
