using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Cli.Tests.Conjugate;

/// <summary>
/// Flat priors (improper, so no simulation-based calibration) and a Uniform(0, 1) prior, checked against their
/// closed-form posteriors: least squares with a known sd for the coefficients, Beta(1 + hits, 1 + misses) for the share.
/// </summary>
public sealed class ImproperAndUniformPriorTests(ConjugateDeclarations declarations) : IClassFixture<ConjugateDeclarations>
{
    [Fact]
    public void FlatCoefficients_AndAUniformShare_HaveTheirClosedFormPosteriors()
    {
        var model = declarations.Create("FlatAndUniform");
        const int n = 60;
        var random = new RandomStream(21, 0);
        var x = Enumerable.Range(0, n).Select(_ => 2 + random.NextNormal()).ToArray();
        var y = x.Select(v => 1.5 - 0.7 * v + random.NextNormal()).ToArray();
        var hit = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.0).ToArray();
        model.SetPlateSize("Observation", n);
        model.Store("x", x);
        model.Store("y", y);
        model.Store("hit", hit);
        var fit = ConjugateGibbsFit.Fit(model, new NutsOptions { Seed = 4, Threads = 2 }, null, null);
        Assert.Equal(ConjugateGibbsFit.Engine, fit.Engine);
        var nodes = fit.Nodes.ToDictionary(node => node.Node.Name);

        // (X'X)⁻¹ X'y and (X'X)⁻¹ for X = [1, x], the posterior mean and covariance under flat priors and unit variance.
        var (sx, sxx, sy, sxy) = (x.Sum(), x.Sum(v => v * v), y.Sum(), x.Zip(y, (a, b) => a * b).Sum());
        var determinant = n * sxx - sx * sx;
        var expected = new Dictionary<string, (double Mean, double Sd)>
        {
            ["intercept"] = ((sxx * sy - sx * sxy) / determinant, Math.Sqrt(sxx / determinant)),
            ["slope"] = ((n * sxy - sx * sy) / determinant, Math.Sqrt(n / determinant)),
        };
        var (a, b) = (1 + hit.Sum(), 1 + n - hit.Sum());
        expected["share"] = (a / (a + b), Math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1))));
        foreach (var (name, (mean, sd)) in expected)
        {
            var node = nodes[name];
            // Five MCSEs: a false alarm has probability below 1e-6 per entry. 4,000 draws estimate an sd to about 2 %, so 10 %.
            Assert.True(Math.Abs(node.Mean[0] - mean) <= 5 * node.Mcse![0], $"{name}: mean {node.Mean[0]}, closed form {mean} ± {5 * node.Mcse[0]}");
            Assert.InRange(node.Sd![0] / sd, 0.9, 1.1);
        }
    }
}
