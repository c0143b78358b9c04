using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Xunit;

namespace Dsl.Runtime.Tests.Hmc;

/// <summary>The NUTS engine on targets whose answers are known in closed form.</summary>
public sealed class NutsTests
{
    /// <summary>
    /// A Gaussian with a correlated pair (sds 1 and 10, correlation 0.9) and 20 independent coordinates whose sds run
    /// from 0.01 to 100: correlation and scales spread over four orders of magnitude, which the adapted step size and
    /// diagonal metric must cope with.
    /// </summary>
    private sealed class Gaussian : ILogDensity
    {
        public const double Rho = 0.9;
        public static double Sd(int i) => i switch { 0 => 1, 1 => 10, _ => Math.Pow(10, -2 + 4.0 * (i - 2) / 19) };

        public int Dimension => 22;

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        {
            var (a, b) = (x[0] / Sd(0), x[1] / Sd(1));
            var scale = 1 / (1 - Rho * Rho);
            var logDensity = -0.5 * scale * (a * a - 2 * Rho * a * b + b * b);
            gradient[0] = -scale * (a - Rho * b) / Sd(0);
            gradient[1] = -scale * (b - Rho * a) / Sd(1);
            for (var i = 2; i < Dimension; i++)
            {
                var z = x[i] / Sd(i);
                logDensity -= 0.5 * z * z;
                gradient[i] = -z / Sd(i);
            }
            return logDensity;
        }
    }

    private static double[][] Chains(ChainRun[] runs, int coordinate) =>
        runs.Select(r => Enumerable.Range(0, r.Samples).Select(s => r.Draw(s)[coordinate]).ToArray()).ToArray();

    [Theory]
    [InlineData(MetricKind.Auto)]
    [InlineData(MetricKind.Diagonal)]
    [InlineData(MetricKind.Dense)]
    public void AnIllConditionedGaussian_IsSampledWithItsMomentsAndQuantiles(MetricKind metric)
    {
        var options = new NutsOptions { Seed = 3, Metric = metric };
        var runs = Enumerable.Range(0, options.Chains).Select(c => NutsChain.Run(new Gaussian(), options, c)).ToArray();
        Assert.All(runs, r => Assert.Equal(0, r.Divergences));
        for (var i = 0; i < 22; i++)
        {
            var d = ChainStatistics.Summarise(Chains(runs, i));
            var sd = Gaussian.Sd(i);
            // The mean is off by its Monte Carlo error only: 5 MCSE fails with probability ~1e-6 per coordinate.
            Assert.True(Math.Abs(d.Mean) < 5 * d.Mcse, $"coordinate {i}: mean {d.Mean}, MCSE {d.Mcse}");
            // 4000 draws with ESS in the thousands pin the sd to about 2 %; 8 % is a 4-sigma band.
            Assert.InRange(d.Sd / sd, 0.92, 1.08);
            // The 95 % quantile of a normal is 1.645 sd; its estimate scatters by about 4 % here.
            Assert.InRange(d.Q95 / (1.645 * sd), 0.88, 1.12);
            Assert.True(d.RHat < 1.01, $"coordinate {i}: R-hat {d.RHat}");
            Assert.True(d.EssBulk > 1000, $"coordinate {i}: bulk ESS {d.EssBulk}");
        }
        // The adapted metric is the last window's draw variance (about 500 correlated warm-up draws, so within 30 %)
        // plus Stan's regularisation 1e-3 * 5/505, which is negligible from sd 0.1 up (and 10 % of the variance at sd 0.01).
        // Auto sees the correlated pair and adapts the dense metric; its diagonal is the same variances.
        var dense = runs[0].InverseMetric.Length == 22 * 22;
        Assert.Equal(metric != MetricKind.Diagonal, dense);
        for (var i = 2; i < 22; i++)
            if (Gaussian.Sd(i) >= 0.1) Assert.InRange(runs[0].InverseMetric[dense ? i * 22 + i : i] / (Gaussian.Sd(i) * Gaussian.Sd(i)), 0.7, 1.3);
        // The dense metric's covariance of the pair is its correlation 0.9 times the sds, to the same 30 %.
        if (dense) Assert.InRange(runs[0].InverseMetric[1] / (Gaussian.Rho * Gaussian.Sd(0) * Gaussian.Sd(1)), 0.7, 1.3);
    }

    /// <summary>Two coordinates correlated at 0.995, the shape of a regression's intercept and slope on an uncentred predictor.</summary>
    private sealed class Ridge : ILogDensity
    {
        public const double Rho = 0.995;

        public int Dimension => 2;

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        {
            var scale = 1 / (1 - Rho * Rho);
            gradient[0] = -scale * (x[0] - Rho * x[1]);
            gradient[1] = -scale * (x[1] - Rho * x[0]);
            return -0.5 * scale * (x[0] * x[0] - 2 * Rho * x[0] * x[1] + x[1] * x[1]);
        }
    }

    /// <summary>Three independent coordinates of different scales.</summary>
    private sealed class Independent : ILogDensity
    {
        public int Dimension => 3;

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        {
            var logDensity = 0.0;
            for (var i = 0; i < 3; i++)
            {
                var variance = Math.Pow(4, i);
                gradient[i] = -x[i] / variance;
                logDensity -= 0.5 * x[i] * x[i] / variance;
            }
            return logDensity;
        }
    }

    [Fact]
    public void TheAutomaticMetric_OnAnUncorrelatedTarget_IsStansDiagonalOne()
    {
        // Every window's sample correlations stay far below 0.5 (sd about 1/√n), so Auto keeps the diagonal throughout.
        var options = new NutsOptions { Seed = 6, Warmup = 500, Samples = 200 };
        var auto = NutsChain.Run(new Independent(), options with { Metric = MetricKind.Auto }, 0);
        var diagonal = NutsChain.Run(new Independent(), options with { Metric = MetricKind.Diagonal }, 0);
        Assert.Equal(diagonal.Draws, auto.Draws);
        Assert.Equal(3, auto.InverseMetric.Length);
    }

    [Fact]
    public void ADenseMetric_CrossesACorrelatedRidge_InFewerSteps_WithTheSameMoments()
    {
        ChainRun Run(MetricKind metric)
        {
            var run = NutsChain.Run(new Ridge(), new NutsOptions { Seed = 5, Metric = metric }, 0);
            var d = ChainStatistics.Summarise([Enumerable.Range(0, run.Samples).Select(s => run.Draw(s)[0]).ToArray()]);
            // Unit variance either way: 1,000 draws pin the sd to a few per cent.
            Assert.InRange(d.Sd, 0.85, 1.15);
            return run;
        }
        var diagonal = Run(MetricKind.Diagonal).Gradients;
        var denseRun = Run(MetricKind.Dense);
        var dense = denseRun.Gradients;
        // A diagonal metric needs steps of about √(1 − ρ²) = 0.1 to cross a ridge of length 1, so trajectories of tens of
        // steps; the dense metric undoes the correlation and takes a few. Measured: 9,456 gradients against 42,126.
        Assert.True(dense * 3 < diagonal, $"dense {dense} gradients, diagonal {diagonal}");
        Assert.Equal(0, denseRun.Divergences);
    }

    [Fact]
    public void AChain_IsAFunctionOfSeedAndChainOnly()
    {
        var options = new NutsOptions { Warmup = 100, Samples = 50, Seed = 9 };
        var first = NutsChain.Run(new Gaussian(), options, 2);
        var again = NutsChain.Run(new Gaussian(), options, 2);
        var other = NutsChain.Run(new Gaussian(), options, 3);
        Assert.Equal(first.Draws, again.Draws);
        Assert.NotEqual(first.Draws, other.Draws);
    }

    /// <summary>
    /// A chain saved between any two iterations and restored into a fresh one (mid warm-up window, at a window's end,
    /// and among the kept draws) continues exactly as if it had never stopped, and one restored with more samples
    /// asked for extends the same draws.
    /// </summary>
    [Theory]
    [InlineData(37, MetricKind.Diagonal)]
    [InlineData(75, MetricKind.Diagonal)]
    [InlineData(130, MetricKind.Diagonal)]
    [InlineData(37, MetricKind.Dense)]
    [InlineData(130, MetricKind.Dense)]
    public void AChainSavedAndRestored_ContinuesAsIfNeverStopped(int stopAt, MetricKind metric)
    {
        var options = new NutsOptions { Warmup = 100, Samples = 60, Seed = 4, Metric = metric };
        var straight = NutsChain.Run(new Gaussian(), options, 1);
        var first = new NutsChain(new Gaussian(), options, 1);
        first.Advance(stopAt);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) first.Save(writer);
        buffer.Position = 0;
        var longer = options with { Samples = 90 };
        var resumed = new NutsChain(new Gaussian(), longer, 1);
        using (var reader = new BinaryReader(buffer)) resumed.Load(reader);
        Assert.Equal(stopAt, resumed.Iteration);
        resumed.Advance(int.MaxValue - stopAt);
        var result = resumed.Result();
        Assert.Equal(90, result.Samples);
        Assert.Equal(straight.Draws, result.Draws[..straight.Draws.Length]);
        Assert.Equal(straight.StepSize, result.StepSize);
        Assert.Equal(straight.InverseMetric, result.InverseMetric);
        Assert.Equal(NutsChain.Run(new Gaussian(), longer, 1).Draws, result.Draws);
    }

    [Fact]
    public void AModelWithNoFiniteStartingPoint_IsRefusedByName()
    {
        var error = Assert.Throws<InvalidDataException>(() => NutsChain.Run(new Nowhere(), new NutsOptions(), 0));
        Assert.Contains("no finite log density", error.Message);
    }

    private sealed class Nowhere : ILogDensity
    {
        public int Dimension => 1;

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient) => double.NaN;
    }
}
