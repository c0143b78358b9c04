using Dsl.Runtime.Inference.MStep;
using Dsl.Runtime.Inference.Rules;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Inference;

public sealed class InferenceRuleTests
{
    [Fact]
    public void GaussianFromPrecision_HasTheRequestedMeanAndCovariance()
    {
        // P = [[4, 1], [1, 2]], b = [1, 1]: mean P^-1 b = [1/7, 3/7], covariance P^-1 = [[2, -1], [-1, 4]] / 7.
        var random = new RandomStream(3, 1);
        const int draws = 200_000;
        double m0 = 0, m1 = 0, v0 = 0, v1 = 0, c01 = 0;
        Span<double> precision = stackalloc double[4];
        Span<double> rhs = stackalloc double[2];
        Span<double> noise = stackalloc double[2];
        for (var n = 0; n < draws; n++)
        {
            precision[0] = 4; precision[2] = 1; precision[3] = 2; precision[1] = 0;
            rhs[0] = 1; rhs[1] = 1;
            noise[0] = random.NextNormal(); noise[1] = random.NextNormal();
            PolyaGammaLogistic.GaussianFromPrecision(precision, rhs, noise, 2);
            m0 += noise[0]; m1 += noise[1]; v0 += noise[0] * noise[0]; v1 += noise[1] * noise[1]; c01 += noise[0] * noise[1];
        }
        m0 /= draws; m1 /= draws;
        // Standard errors are about sqrt(var / n) ~ 0.0012; 0.006 is five of them.
        Assert.InRange(m0, 1.0 / 7 - 0.006, 1.0 / 7 + 0.006);
        Assert.InRange(m1, 3.0 / 7 - 0.006, 3.0 / 7 + 0.006);
        Assert.InRange(v0 / draws - m0 * m0, 2.0 / 7 - 0.01, 2.0 / 7 + 0.01);
        Assert.InRange(v1 / draws - m1 * m1, 4.0 / 7 - 0.01, 4.0 / 7 + 0.01);
        Assert.InRange(c01 / draws - m0 * m1, -1.0 / 7 - 0.01, -1.0 / 7 + 0.01);
    }

    [Fact]
    public void PolyaGammaSweep_WithAnOffset_SamplesTheExactLogisticPosterior()
    {
        // y_r ~ Bernoulli(logistic(o_r + x_r beta)), beta ~ Normal(0.5, 1), twelve rows with known offsets o_r. The
        // posterior of beta is one-dimensional, so its mean and sd come from quadrature on a fine grid; the sampler's
        // must match. Leaving the offset out of the Gaussian step moves the mean from 0.216 to 0.311 here.
        double[] x = [1.0, -0.5, 2.0, 0.3, -1.2, 0.8, 1.5, -2.0, 0.1, 0.9, -0.7, 1.1];
        double[] offset = [1.5, -2.0, 0.5, 1.0, -1.0, 2.0, -0.5, 0.8, -1.5, 0.3, 1.2, -0.9];
        double[] y = [1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1];
        const double priorMean = 0.5, priorSd = 1.0;
        double LogPosterior(double beta)
        {
            var value = -0.5 * (beta - priorMean) * (beta - priorMean) / (priorSd * priorSd);
            for (var r = 0; r < x.Length; r++)
            {
                var psi = offset[r] + x[r] * beta;
                value += y[r] * psi - Math.Log(1 + Math.Exp(psi));
            }
            return value;
        }
        double mass = 0, first = 0, second = 0;
        for (var beta = -8.0; beta <= 8.0; beta += 1e-3)
        {
            var density = Math.Exp(LogPosterior(beta));
            mass += density; first += density * beta; second += density * beta * beta;
        }
        var exactMean = first / mass;
        var exactSd = Math.Sqrt(second / mass - exactMean * exactMean);

        var random = new RandomStream(11, 3);
        var coefficients = new double[] { 0.0 };
        var omega = new double[x.Length];
        var psiBuffer = new double[x.Length];
        var workspace = new double[3];
        const int draws = 40_000;
        double sum = 0, sumSquares = 0;
        for (var n = 0; n < draws; n++)
        {
            PolyaGammaLogistic.Sweep(x, offset, y, [priorMean], [priorSd * priorSd], coefficients, omega, psiBuffer, workspace, ref random);
            sum += coefficients[0]; sumSquares += coefficients[0] * coefficients[0];
        }
        var mean = sum / draws;
        var sd = Math.Sqrt(sumSquares / draws - mean * mean);
        // With about 0.5 sd of posterior (measured below) and lag-one autocorrelations under 0.5, the Monte Carlo
        // error of the mean is under 0.5 / sqrt(40000 / 3) = 0.005; 0.02 is four of those. The sd's error is smaller still.
        Assert.True(Math.Abs(mean - exactMean) < 0.02, $"mean {mean:F4}, exact {exactMean:F4}");
        Assert.InRange(sd, exactSd * 0.96, exactSd * 1.04);
        // The linear predictor is the offset plus the design times the coefficients.
        PolyaGammaLogistic.LinearPredictor(x, offset, coefficients, psiBuffer);
        for (var r = 0; r < x.Length; r++) Assert.Equal(offset[r] + x[r] * coefficients[0], psiBuffer[r], 12);
    }

    [Fact]
    public void NormalisedWeightEnumeration_LeavesTheExactPosteriorInvariant_AndItsRaoBlackwellMeansMatch()
    {
        // Seven entries, two observed counts; the five others (one vector of four and a scalar tail once the observed
        // ones are skipped) are zero. The chain's state frequencies, and the mean of the full-conditional probabilities
        // it reports, must both match the posterior over the 32 states with the observed entries on, computed by brute force.
        double[] weights = [0.5, 0.3, 0.2, 0.15, 0.4, 0.05, 0.25];
        int[] counts = [4, 0, 0, 0, 2, 0, 0];
        double[] logit = [0.0, 0.4, -0.3, 1.2, 0.1, -0.8, 0.6];
        const int entries = 7;
        var exact = new double[1 << entries];
        for (var code = 0; code < exact.Length; code++)
        {
            var state = Enumerable.Range(0, entries).Select(i => (byte)((code >> i) & 1)).ToArray();
            if (Enumerable.Range(0, entries).Any(i => counts[i] > 0 && state[i] == 0)) continue;
            var logPrior = 0.0;
            for (var i = 0; i < entries; i++) logPrior += state[i] == 1 ? -Math.Log(1 + Math.Exp(-logit[i])) : -Math.Log(1 + Math.Exp(logit[i]));
            exact[code] = Math.Exp(logPrior + NormalisedWeightEnumeration.LogLikelihood(weights, counts, state));
        }
        var total = exact.Sum();
        var random = new RandomStream(5, 2);
        var chain = Enumerable.Repeat((byte)1, entries).ToArray();
        var seen = new double[exact.Length];
        var workspace = new double[NormalisedWeightEnumeration.WorkspaceDoubles(entries)];
        var probability = new double[entries];
        var probabilitySum = new double[entries];
        const int sweeps = 200_000;
        for (var n = 0; n < sweeps; n++)
        {
            NormalisedWeightEnumeration.Sweep(weights, counts, logit, chain, workspace, probability, ref random);
            var code = 0;
            for (var i = 0; i < entries; i++)
            {
                code |= chain[i] << i;
                probabilitySum[i] += probability[i];
            }
            seen[code]++;
        }
        // Chain correlation is mild (independent-ish switches); 0.01 is many standard errors of a frequency of
        // 200,000 sweeps, and far less than the gaps between the states' probabilities.
        for (var code = 0; code < exact.Length; code++)
            Assert.InRange(seen[code] / sweeps, exact[code] / total - 0.01, exact[code] / total + 0.01);
        for (var i = 0; i < entries; i++)
        {
            var marginal = Enumerable.Range(0, exact.Length).Where(code => ((code >> i) & 1) == 1).Sum(code => exact[code]) / total;
            Assert.InRange(probabilitySum[i] / sweeps, marginal - 0.01, marginal + 0.01);
        }
    }

    [Theory]
    [InlineData(40, 0.3)]   // few, heavy entries: blocks are often undecided and scanned one by one
    [InlineData(2000, 0.01)] // URSM-like: thresholds near the rests are rare, so most blocks are decided at once
    public void EnumerationScan_DecidesBlocksAsTheEntryByEntryScanWould(int entries, double spread)
    {
        // The block shortcut must reproduce the plain sequential scan: the same states, and the same rests up to rounding.
        var random = new RandomStream(11, (ulong)entries);
        var weights = Enumerable.Range(0, entries).Select(_ => (0.5 + random.NextDouble()) / entries).ToArray();
        var free = Enumerable.Range(0, entries).Where(i => i % 5 != 2).ToArray();
        var state = Enumerable.Range(0, entries).Select(i => i % 5 == 2 || random.NextDouble() < 0.6 ? (byte)1 : (byte)0).ToArray();
        var sum = Enumerable.Range(0, entries).Sum(i => weights[i] * state[i]);
        // Thresholds scattered around the running sum, so both outcomes and both paths occur.
        var thresholds = free.Select(_ => sum * (1 + spread * (random.NextDouble() - 0.5) * 4)).ToArray();

        var expectedState = (byte[])state.Clone();
        var expectedRest = new double[free.Length];
        var running = sum;
        for (var k = 0; k < free.Length; k++)
        {
            var i = free[k];
            var rest = running - weights[i] * expectedState[i];
            var on = rest <= 0 || rest > thresholds[k];
            expectedState[i] = on ? (byte)1 : (byte)0;
            expectedRest[k] = rest;
            running = on ? rest + weights[i] : rest;
        }

        var rests = (double[])thresholds.Clone();
        NormalisedWeightEnumeration.Scan(weights, free, state, rests, sum);
        Assert.Equal(expectedState, state);
        for (var k = 0; k < free.Length; k++) Assert.Equal(expectedRest[k], rests[k], 1e-12 * sum);
    }

    [Fact]
    public void SimplexProjection_IsFeasible_AndCloserThanOtherFeasiblePoints()
    {
        var random = new RandomStream(9, 3);
        var scratch = new double[16];
        for (var trial = 0; trial < 200; trial++)
        {
            var x = Enumerable.Range(0, 8).Select(_ => random.NextNormal() * 0.5).ToArray();
            var projected = (double[])x.Clone();
            Projection.OntoSimplex(projected, 0.01, scratch);
            Assert.Equal(1.0, projected.Sum(), 12);
            Assert.All(projected, v => Assert.True(v >= 0.01 - 1e-15));
            var distance = Distance(x, projected);
            for (var other = 0; other < 20; other++)
            {
                var candidate = Enumerable.Range(0, 8).Select(_ => random.NextDouble()).ToArray();
                var sum = candidate.Sum();
                for (var i = 0; i < 8; i++) candidate[i] = 0.01 + candidate[i] / sum * (1 - 0.08);
                Assert.True(Distance(x, candidate) >= distance - 1e-12);
            }
        }
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum());

    [Fact]
    public void ProjectedGradientAscent_FindsTheMultinomialMaximum_OnTheSimplex()
    {
        // max sum c log x on the simplex is x = c / sum c.
        double[] c = [50, 3, 0.5, 200, 12];
        var objective = new WeightedLogOnSimplex(c);
        var x = Enumerable.Repeat(0.2, 5).ToArray();
        new ProjectedGradientAscent { MaxIterations = 200 }.Maximise(objective, x);
        for (var i = 0; i < c.Length; i++) Assert.Equal(c[i] / c.Sum(), x[i], 4);
    }

    private sealed class WeightedLogOnSimplex(double[] weights) : IProjectedObjective
    {
        public int Length => weights.Length;
        public double Value(ReadOnlySpan<double> x) => Gradient(x, new double[Length]);
        public double Gradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            gradient.Clear();
            return ObjectiveTerms.WeightedLog(x, weights, gradient);
        }
        public void Project(Span<double> x) => Projection.OntoSimplex(x, 0, 1, x.Length, 1e-9, new double[2 * x.Length]);
        public void Precondition(ReadOnlySpan<double> x, Span<double> direction) => Projection.SimplexDirection(x, direction, 0, 1, x.Length);
    }
}
