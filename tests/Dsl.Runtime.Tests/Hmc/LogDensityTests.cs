using Dsl.Runtime.Hmc;
using Xunit;

namespace Dsl.Runtime.Tests.Hmc;

/// <summary>
/// Every log density kernel the generated samplers call: each partial against central finite differences, and each
/// density against its normalisation (continuous ones integrated numerically, discrete ones summed), so a wrong
/// constant or a wrong partial both fail.
/// </summary>
public sealed class LogDensityTests
{
    /// <summary>A kernel as a function of (value, arguments...) returning the log density and its partials in that order.</summary>
    private delegate double Kernel(double[] at, double[] partials);

    public static TheoryData<string> Kernels => new(Cases.Keys);

    private static readonly Dictionary<string, (Kernel Kernel, double[] At)> Cases = new()
    {
        ["Normal"] = ((a, d) => LogDensity.Normal(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [0.7, -0.3, 1.3]),
        ["LogNormal"] = ((a, d) => LogDensity.LogNormal(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [1.7, 0.2, 0.8]),
        // The shared-scale forms take 1/sd and log sd from the caller; computed here from the sd, they must be the same density.
        ["NormalAtScale"] = ((a, d) => LogDensity.NormalAtScale(a[0], a[1], a[2], 1 / a[2], Math.Log(a[2]), out d[0], out d[1], out d[2]), [0.7, -0.3, 1.3]),
        ["LogNormalAtScale"] = ((a, d) => LogDensity.LogNormalAtScale(a[0], a[1], a[2], 1 / a[2], Math.Log(a[2]), out d[0], out d[1], out d[2]), [1.7, 0.2, 0.8]),
        ["Gamma"] = ((a, d) => LogDensity.Gamma(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [1.3, 2.5, 1.7]),
        ["InverseGamma"] = ((a, d) => LogDensity.InverseGamma(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [0.9, 3.5, 2.2]),
        ["Beta"] = ((a, d) => LogDensity.Beta(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [0.35, 2.5, 3.5]),
        ["Uniform"] = ((a, d) => LogDensity.Uniform(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [0.4, -1.5, 2.5]),
        ["HalfNormal"] = ((a, d) => LogDensity.HalfNormal(a[0], a[1], out d[0], out d[1]), [0.8, 1.4]),
        ["Cauchy"] = ((a, d) => LogDensity.Cauchy(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [1.1, -0.4, 0.9]),
        ["HalfCauchy"] = ((a, d) => LogDensity.HalfCauchy(a[0], a[1], out d[0], out d[1]), [1.6, 2.1]),
        ["StudentT"] = ((a, d) => LogDensity.StudentT(a[0], a[1], a[2], a[3], out d[0], out d[1], out d[2], out d[3]), [0.9, 3.7, -0.2, 1.4]),
        ["HalfStudentT"] = ((a, d) => LogDensity.HalfStudentT(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [0.9, 3.7, 1.4]),
        ["Exponential"] = ((a, d) => LogDensity.Exponential(a[0], a[1], out d[0], out d[1]), [0.6, 1.8]),
        ["Poisson"] = ((a, d) => LogDensity.Poisson(a[0], a[1], out d[0], out d[1]), [3, 2.4]),
        ["Bernoulli"] = ((a, d) => LogDensity.Bernoulli(a[0], a[1], out d[0], out d[1]), [1, 0.3]),
        ["BernoulliLogit"] = ((a, d) => LogDensity.BernoulliLogit(a[0], a[1], out d[0], out d[1]), [0, 0.8]),
        ["Binomial"] = ((a, d) => LogDensity.Binomial(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [3, 7, 0.35]),
        ["BinomialLogit"] = ((a, d) => LogDensity.BinomialLogit(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [3, 7, -0.4]),
        ["NegativeBinomial"] = ((a, d) => LogDensity.NegativeBinomial(a[0], a[1], a[2], out d[0], out d[1], out d[2]), [4, 2.7, 1.6]),
        ["ZeroInflatedNegativeBinomial"] = ((a, d) => LogDensity.ZeroInflatedNegativeBinomial(a[0], a[1], a[2], a[3], out d[0], out d[1], out d[2], out d[3]), [4, 2.7, 1.6, -0.7]),
        ["ZeroInflatedNegativeBinomial at zero"] = ((a, d) => LogDensity.ZeroInflatedNegativeBinomial(a[0], a[1], a[2], a[3], out d[0], out d[1], out d[2], out d[3]), [0, 2.7, 1.6, -0.7]),
    };

    /// <summary>The value of a discrete kernel, and a Binomial's trials, are data: their partial is 0 by contract, not differentiated.</summary>
    private static bool IsData(string name, int argument) =>
        (argument == 0 && name is "Poisson" or "Bernoulli" or "BernoulliLogit" or "Binomial" or "BinomialLogit" or "NegativeBinomial" || argument == 0 && name.StartsWith("ZeroInflated"))
        || argument == 1 && name.StartsWith("Binomial");

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryPartial_MatchesCentralDifferences(string name)
    {
        var (kernel, at) = Cases[name];
        var partials = new double[at.Length];
        var scratch = new double[at.Length];
        kernel(at, partials);
        for (var i = 0; i < at.Length; i++)
        {
            if (IsData(name, i))
            {
                Assert.Equal(0, partials[i]);
                continue;
            }
            const double h = 1e-6;
            var up = (double[])at.Clone();
            var down = (double[])at.Clone();
            up[i] += h;
            down[i] -= h;
            var numeric = (kernel(up, scratch) - kernel(down, scratch)) / (2 * h);
            // Central differences at h = 1e-6 are good to about 1e-8 for these smooth functions of O(1) arguments.
            Assert.True(Math.Abs(numeric - partials[i]) < 1e-6 * (1 + Math.Abs(numeric)), $"{name}, argument {i}: analytic {partials[i]}, numeric {numeric}");
        }
    }

    [Theory]
    [InlineData("Normal", -12, 12)]
    [InlineData("LogNormal", 0, 60)]
    [InlineData("NormalAtScale", -12, 12)]
    [InlineData("LogNormalAtScale", 0, 60)]
    [InlineData("Gamma", 0, 30)]
    [InlineData("InverseGamma", 0, 200)]
    [InlineData("Beta", 0, 1)]
    [InlineData("Uniform", -1.5, 2.5)]
    [InlineData("HalfNormal", 0, 12)]
    [InlineData("Exponential", 0, 30)]
    [InlineData("StudentT", -3000, 3000)]
    [InlineData("HalfStudentT", 0, 3000)]
    public void ContinuousDensities_IntegrateToOne(string name, double from, double to)
    {
        var (kernel, at) = Cases[name];
        var partials = new double[at.Length];
        // Midpoint rule on 2e6 cells: error well below 1e-4 except where the tails are cut (Student-t with 3.7 df
        // loses about 1e-5 beyond ±3000).
        const int cells = 2_000_000;
        var width = (to - from) / cells;
        var total = 0.0;
        var point = (double[])at.Clone();
        for (var c = 0; c < cells; c++)
        {
            point[0] = from + (c + 0.5) * width;
            total += Math.Exp(kernel(point, partials)) * width;
        }
        Assert.InRange(total, 0.999, 1.001);
    }

    [Theory]
    [InlineData("Cauchy")]
    [InlineData("HalfCauchy")]
    public void CauchyDensities_MatchTheirClosedFormCdf(string name)
    {
        // Heavy tails defeat a finite integral; the mass between two points is arctan's difference instead.
        var (kernel, at) = Cases[name];
        var (location, scale) = name == "Cauchy" ? (at[1], at[2]) : (0.0, at[1]);
        var partials = new double[at.Length];
        const int cells = 200_000;
        var (from, to) = (location + 0.1, location + 3 * scale);
        var point = (double[])at.Clone();
        var total = 0.0;
        for (var c = 0; c < cells; c++)
        {
            point[0] = from + (c + 0.5) * (to - from) / cells;
            total += Math.Exp(kernel(point, partials)) * (to - from) / cells;
        }
        var expected = (Math.Atan((to - location) / scale) - Math.Atan((from - location) / scale)) / Math.PI * (name == "Cauchy" ? 1 : 2);
        Assert.Equal(expected, total, 6);
    }

    [Theory]
    [InlineData("Poisson", 200)]
    [InlineData("Bernoulli", 1)]
    [InlineData("BernoulliLogit", 1)]
    [InlineData("Binomial", 7)]
    [InlineData("BinomialLogit", 7)]
    [InlineData("NegativeBinomial", 2000)]
    [InlineData("ZeroInflatedNegativeBinomial", 2000)]
    public void DiscreteDensities_SumToOne(string name, int maxValue)
    {
        var (kernel, at) = Cases[name];
        var partials = new double[at.Length];
        var point = (double[])at.Clone();
        var total = 0.0;
        for (var k = 0; k <= maxValue; k++)
        {
            point[0] = k;
            total += Math.Exp(kernel(point, partials));
        }
        Assert.Equal(1, total, 9);
    }

    [Fact]
    public void ArgumentsOutsideTheirSupport_GiveNaN_NotANumberThatLooksFine()
    {
        Assert.True(double.IsNaN(LogDensity.Normal(0, 0, -1, out _, out _, out _)));
        Assert.True(double.IsNaN(LogDensity.Gamma(1, 0, 1, out _, out _, out _)));
        Assert.True(double.IsNaN(LogDensity.Poisson(2, -0.5, out _, out _)));
        Assert.True(double.IsNaN(LogDensity.Bernoulli(1, 1.5, out _, out _)));
    }

    /// <summary>A row kernel's partials in one of its vectors, each entry moved on its own (the density as a function on R^K).</summary>
    private static void AssertRowPartials(Func<double[], double> density, double[] at, double[] partials)
    {
        const double h = 1e-6;
        for (var k = 0; k < at.Length; k++)
        {
            var (up, down) = ((double[])at.Clone(), (double[])at.Clone());
            up[k] += h;
            down[k] -= h;
            // Central differences at h = 1e-6 of O(1) smooth functions: good to about 1e-8.
            Assert.Equal((density(up) - density(down)) / (2 * h), partials[k], 6);
        }
    }

    [Fact]
    public void Dirichlet_MatchesItsBetaMarginal_AndCentralDifferences()
    {
        // With two entries a Dirichlet(a, b) is a Beta(a, b) on the first share: the densities agree (the simplex's
        // one free coordinate carries the measure).
        var (dW, dAlpha) = (new double[2], new double[2]);
        Assert.Equal(LogDensity.Beta(0.35, 2.5, 3.5, out _, out _, out _), LogDensity.Dirichlet([0.35, 0.65], [2.5, 3.5], dW, dAlpha), 12);
        double[] w = [0.2, 0.3, 0.5];
        double[] a = [1.5, 0.7, 2.2];
        var (gw, ga, sw, sa) = (new double[3], new double[3], new double[3], new double[3]);
        LogDensity.Dirichlet(w, a, gw, ga);
        AssertRowPartials(moved => LogDensity.Dirichlet(moved, a, sw, sa), w, gw);
        AssertRowPartials(moved => LogDensity.Dirichlet(w, moved, sw, sa), a, ga);
    }

    [Fact]
    public void Multinomial_SumsToOne_AndMatchesCentralDifferences()
    {
        // Every way of putting 5 trials into 3 categories, with unnormalised weights (the DSL normalises them).
        double[] p = [0.6, 1.5, 0.9];
        var (dX, dP, sx, sp) = (new double[3], new double[3], new double[3], new double[3]);
        var total = 0.0;
        for (var a = 0; a <= 5; a++)
            for (var b = 0; a + b <= 5; b++)
                total += Math.Exp(LogDensity.Multinomial([a, b, 5 - a - b], p, dX, dP));
        Assert.Equal(1, total, 12);
        double[] x = [2, 0, 3];
        LogDensity.Multinomial(x, p, dX, dP);
        Assert.Equal([0, 0, 0], dX);
        AssertRowPartials(moved => LogDensity.Multinomial(x, moved, sx, sp), p, dP);
    }
}
