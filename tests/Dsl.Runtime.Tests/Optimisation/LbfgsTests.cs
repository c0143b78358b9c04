using Dsl.Runtime.Optimisation;
using Xunit;

namespace Dsl.Runtime.Tests.Optimisation;

/// <summary>L-BFGS with its strong-Wolfe line search on losses whose minima are known.</summary>
public sealed class LbfgsTests
{
    private static (Lbfgs Search, int Iterations) Minimise(Loss loss, double[] start, int budget = 500)
    {
        var search = new Lbfgs(loss, start, 10);
        var iterations = 0;
        while (iterations < budget && search.Iterate() == LbfgsStep.Taken) iterations++;
        return (search, iterations);
    }

    [Fact]
    public void Rosenbrock_ReachesItsMinimumFromTheClassicStart()
    {
        // f = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1); start (−1.2, 1) as in Nocedal and Wright.
        var (search, iterations) = Minimise((p, g) =>
        {
            var (x, y) = (p[0], p[1]);
            g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
            g[1] = 200 * (y - x * x);
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }, [-1.2, 1]);
        // Run until no step lowers the loss: the minimiser is found to the precision a double allows there (~1e-8 in x).
        Assert.Equal(1, search.X[0], 1e-7);
        Assert.Equal(1, search.X[1], 1e-7);
        // L-BFGS takes a few dozen iterations here, not the thousands steepest descent would.
        Assert.InRange(iterations, 10, 100);
    }

    [Fact]
    public void IllConditionedQuadratic_ConvergesAsScipysDoes()
    {
        const int n = 20;
        var scales = Enumerable.Range(0, n).Select(i => Math.Pow(10, 6.0 * i / (n - 1))).ToArray();
        var (search, _) = Minimise((x, g) =>
        {
            var f = 0.0;
            for (var i = 0; i < n; i++)
            {
                f += 0.5 * scales[i] * (x[i] - 1) * (x[i] - 1);
                g[i] = scales[i] * (x[i] - 1);
            }
            return f;
        }, new double[n], budget: 5000);
        // scipy's L-BFGS-B (maxcor 10) on the same loss reaches max |x − 1| = 4.6e-7 after 5,000 iterations; with a
        // 10-pair memory, curvature spread over six decades is only learned slowly, so the budget is as large.
        for (var i = 0; i < n; i++) Assert.Equal(1, search.X[i], 1e-5);
    }

    [Fact]
    public void ALossInfiniteOutsideItsDomain_IsMinimisedFromInside()
    {
        // f = x − 2 log x on x > 0 (+∞ elsewhere), minimum at x = 2: a full step from x = 0.1 lands outside, and the line
        // search must back off rather than accept or fail.
        var (search, _) = Minimise((x, g) =>
        {
            if (x[0] <= 0) return double.PositiveInfinity;
            g[0] = 1 - 2 / x[0];
            return x[0] - 2 * Math.Log(x[0]);
        }, [0.1]);
        Assert.Equal(2, search.X[0], 1e-7);
    }
}
