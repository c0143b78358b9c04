using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;
using Dsl.Runtime.Tests.Statistics;

namespace Dsl.Runtime.Tests.Kernels;

/// <summary>Poisson, binomial, negative binomial, multinomial, Dirichlet-multinomial, categorical and Bernoulli.</summary>
public sealed class DiscreteSamplerTests
{

    private static long[] Counts(double[] draws)
    {
        var counts = new long[(int)draws.Max() + 1];
        foreach (var x in draws)
        {
            Assert.True(x >= 0 && x == Math.Floor(x), $"draw {x} is not a count");
            counts[(int)x]++;
        }
        return counts;
    }

    /// <summary>Chi-square over the central support (pmf &gt; 1e-9 mass) plus moments.</summary>
    private static void CheckDiscrete(double[] draws, Func<int, double> pmf, double mean, double variance, string what)
    {
        StatCheck.Moments(draws, mean, variance, what);
        var sd = Math.Sqrt(variance);
        var low = (int)Math.Max(0, Math.Floor(mean - 8 * sd - 5));
        var high = (int)Math.Ceiling(mean + 8 * sd + 5);
        var counts = Counts(draws);
        var observed = new List<long>();
        var expected = new List<double>();
        long below = counts.Take(low).Sum();
        Assert.True(below <= draws.Length * 1e-6 + 5, $"{what}: {below} draws below {low}");
        for (var x = low; x <= high; x++)
        {
            observed.Add(x < counts.Length ? counts[x] : 0);
            expected.Add(pmf(x));
        }
        var mass = expected.Sum();
        StatCheck.ChiSquare(observed, expected.Select(e => e / mass).ToList(), what);
    }

    [Theory]
    [InlineData(SamplerPath.Scalar, 0.5)]
    [InlineData(SamplerPath.Vector, 0.5)]
    [InlineData(SamplerPath.Vector, 9.99)]
    [InlineData(SamplerPath.Scalar, 10.0)]
    [InlineData(SamplerPath.Vector, 10.0)]
    [InlineData(SamplerPath.Scalar, 50.0)]
    [InlineData(SamplerPath.Vector, 50.0)]
    [InlineData(SamplerPath.Vector, 10000.0)]
    public void Poisson_MatchesPmf(SamplerPath path, double rate)
    {
        var random = new RandomStream(7, 0);
        var draws = new double[1_000_000];
        if (path == SamplerPath.Vector) Poisson.Sample(Enumerable.Repeat(rate, draws.Length).ToArray(), draws, ref random);
        else for (var i = 0; i < draws.Length; i++) draws[i] = Poisson.Sample(rate, ref random);

        CheckDiscrete(draws, x => MathNet.Numerics.Distributions.Poisson.PMF(rate, x), rate, rate, $"Poisson({rate}) {path}");
    }

    [Theory]
    [InlineData(SamplerPath.Scalar, 1, 0.3)]
    [InlineData(SamplerPath.Vector, 1, 0.3)]
    [InlineData(SamplerPath.Scalar, 20, 0.3)]
    [InlineData(SamplerPath.Vector, 20, 0.3)]
    [InlineData(SamplerPath.Scalar, 100, 0.4)]
    [InlineData(SamplerPath.Vector, 100, 0.4)]
    [InlineData(SamplerPath.Vector, 50, 0.9)]
    [InlineData(SamplerPath.Scalar, 1_000_000, 0.5)]
    [InlineData(SamplerPath.Vector, 1_000_000, 0.5)]
    [InlineData(SamplerPath.Vector, 1_000_000, 1e-6)]
    public void Binomial_MatchesPmf(SamplerPath path, int n, double p)
    {
        var random = new RandomStream(8, 0);
        var draws = new double[1_000_000];
        if (path == SamplerPath.Vector) Binomial.Sample(Enumerable.Repeat((double)n, draws.Length).ToArray(), Enumerable.Repeat(p, draws.Length).ToArray(), draws, ref random);
        else for (var i = 0; i < draws.Length; i++) draws[i] = Binomial.Sample(n, p, ref random);

        Assert.True(draws.Max() <= n);
        CheckDiscrete(draws, x => MathNet.Numerics.Distributions.Binomial.PMF(p, n, x), n * p, n * p * (1 - p), $"Binomial({n}, {p}) {path}");
    }

    [Fact]
    public void Binomial_MixedParameters_EachElementHasItsOwnLaw()
    {
        // The span path sorts elements by method (inversion, BTRS with tabled log-factorials, BTRS with lgamma)
        // and scatters the draws back; each element's draws must follow its own parameters.
        (int N, double P)[] laws = [(5, 0.3), (300, 0.7), (2000, 0.5), (40, 0.1)];
        var count = 400_000;
        var n = Enumerable.Range(0, count).Select(i => (double)laws[i % 4].N).ToArray();
        var p = Enumerable.Range(0, count).Select(i => laws[i % 4].P).ToArray();
        var draws = new double[count];
        var random = new RandomStream(10, 0);
        Binomial.Sample(n, p, draws, ref random);

        for (var j = 0; j < 4; j++)
        {
            var (lawN, lawP) = laws[j];
            var mine = draws.Where((_, i) => i % 4 == j).ToArray();
            CheckDiscrete(mine, x => MathNet.Numerics.Distributions.Binomial.PMF(lawP, lawN, x), lawN * lawP, lawN * lawP * (1 - lawP), $"mixed Binomial({lawN}, {lawP})");
        }
    }

    [Fact]
    public void Binomial_Edges_AreExact()
    {
        var random = new RandomStream(9, 0);
        var draws = new double[8];
        Binomial.Sample([0, 0, 5, 5, 7, 7, 3, 0], [0.5, 0, 0, 1, 1, 0, 1, 1], draws, ref random);

        Assert.Equal([0, 0, 0, 5, 7, 0, 3, 0], draws);
    }

    [Theory]
    [InlineData(SamplerPath.Scalar, 2.0, 0.5)]
    [InlineData(SamplerPath.Vector, 2.0, 0.5)]
    [InlineData(SamplerPath.Vector, 30.0, 2.0)]
    [InlineData(SamplerPath.Vector, 0.3, 10.0)]
    public void NegativeBinomial_MatchesPmf(SamplerPath path, double mean, double theta)
    {
        var random = new RandomStream(10, 0);
        var draws = new double[400_000];
        if (path == SamplerPath.Vector) NegativeBinomial.Sample(Enumerable.Repeat(mean, draws.Length).ToArray(), Enumerable.Repeat(theta, draws.Length).ToArray(), draws, ref random);
        else for (var i = 0; i < draws.Length; i++) draws[i] = NegativeBinomial.Sample(mean, theta, ref random);

        // MathNet's NB counts failures before r successes with success probability p = theta / (theta + mean).
        CheckDiscrete(draws, x => MathNet.Numerics.Distributions.NegativeBinomial.PMF(theta, theta / (theta + mean), x),
            mean, mean + mean * mean / theta, $"NB({mean}, {theta}) {path}");
    }

    [Theory]
    [InlineData(2, 10)]
    [InlineData(3, 50)]
    [InlineData(3, 150)]
    [InlineData(3, 1000)]
    [InlineData(10, 100_000)]
    [InlineData(50, 1000)]
    [InlineData(3, 0)]
    public void Multinomial_MarginalsAreBinomial_AndRowsSumToN(int k, int n)
    {
        const int rows = 200_002;
        // Alternating probability rows (unnormalised, to check the normalisation too).
        double[][] ps = [Enumerable.Range(1, k).Select(j => (double)j).ToArray(), Enumerable.Range(1, k).Select(j => 1.0 / j).ToArray()];
        var p = new double[rows * k];
        for (var r = 0; r < rows; r++) ps[r % 2].CopyTo(p, r * k);
        var trials = Enumerable.Repeat((double)n, rows).ToArray();
        var draws = new double[p.Length];
        var random = new RandomStream(11, 0);

        Multinomial.Sample(trials, p, k, draws, ref random);

        for (var r = 0; r < rows; r++) Assert.Equal(n, draws.AsSpan(r * k, k).ToArray().Sum());
        if (n == 0) return;
        foreach (var row in new[] { 0, 1 })
        {
            var total = ps[row].Sum();
            foreach (var j in new[] { 0, k / 2, k - 1 })
            {
                var pj = ps[row][j] / total;
                var marginal = Enumerable.Range(0, rows).Where(r => r % 2 == row).Select(r => draws[r * k + j]).ToArray();
                CheckDiscrete(marginal, x => MathNet.Numerics.Distributions.Binomial.PMF(pj, n, x), n * pj, n * pj * (1 - pj), $"multinomial K={k} n={n} row {row} component {j}");
            }
        }
    }

    [Fact]
    public void DirichletMultinomial_HasItsMoments()
    {
        const int rows = 200_000, k = 3, n = 100;
        double[] alpha = [0.5, 2, 7.5];
        var a0 = alpha.Sum();
        var draws = new double[rows * k];
        var random = new RandomStream(12, 0);

        DirichletMultinomial.Sample(Enumerable.Repeat((double)n, rows).ToArray(), Enumerable.Range(0, rows).SelectMany(_ => alpha).ToArray(), k, draws, ref random);

        for (var j = 0; j < k; j++)
        {
            var p = alpha[j] / a0;
            var component = Enumerable.Range(0, rows).Select(r => draws[r * k + j]).ToArray();
            StatCheck.Moments(component, n * p, n * p * (1 - p) * (n + a0) / (1 + a0), $"DM component {j}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(50)]
    public void Categorical_FromLogits_MatchesSoftmax_EvenForHugeLogits(int k)
    {
        const int rows = 400_002;
        var logits = Enumerable.Range(0, k).Select(j => 500.0 + Math.Sin(j) * 2).ToArray(); // exp(500) would overflow unshifted
        var softmax = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        var total = softmax.Sum();
        var draws = new int[rows];
        var random = new RandomStream(13, 0);

        Categorical.Sample(Enumerable.Range(0, rows).SelectMany(_ => logits).ToArray(), k, draws, ref random);

        var counts = new long[k];
        foreach (var d in draws) counts[d]++;
        StatCheck.ChiSquare(counts, softmax.Select(s => s / total).ToList(), $"categorical K={k}");
        var scalar = new RandomStream(13, 1);
        var scalarCounts = new long[k];
        for (var i = 0; i < rows; i++) scalarCounts[Categorical.SampleRow(logits, ref scalar)]++;
        StatCheck.ChiSquare(scalarCounts, softmax.Select(s => s / total).ToList(), $"categorical K={k} scalar");
    }

    [Fact]
    public void Bernoulli_FromLogits()
    {
        double[] logit = [-30, -2, 0, 0.5, 3, 40];
        var n = 600_000;
        var draws = new double[n];
        var random = new RandomStream(14, 0);
        Categorical.SampleBernoulli(Enumerable.Range(0, n).Select(i => logit[i % 6]).ToArray(), draws, ref random);

        for (var j = 0; j < 6; j++)
        {
            var p = 1 / (1 + Math.Exp(-logit[j]));
            var mine = draws.Where((_, i) => i % 6 == j).ToArray();
            if (Math.Abs(logit[j]) > 20)
                Assert.Equal(logit[j] > 0 ? mine.Length : 0, mine.Sum()); // p within 1e-8 of 0 or 1: every draw agrees
            else
                StatCheck.Moments(mine, p, p * (1 - p), $"Bernoulli(logit {logit[j]})");
        }
    }
}
