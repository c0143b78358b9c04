using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;

namespace Dsl.Runtime.Benchmarks;

/// <summary>One timed kernel call over prepared inputs: how many items it produces and what to call them.</summary>
public sealed record KernelWorkload(string Key, string Description, int Items, string Unit, Action Run);

/// <summary>
/// The kernel benchmarks behind `dsl bench kernels` and the BenchmarkDotNet suite: per-element parameters, inputs
/// made once up front, one core. Keys are stable so figures can be tracked over time.
/// </summary>
public static class KernelWorkloads
{
    public static IReadOnlyList<KernelWorkload> All() =>
    [
        Uniform(),
        PolyaGammaOne("pg1_z0", 0), PolyaGammaOne("pg1_z0_5", 0.5), PolyaGammaOne("pg1_z2", 2), PolyaGammaOne("pg1_z10", 10), PolyaGammaOne("pg1_z50", 50),
        PolyaGammaMixed(),
        PolyaGammaB(2), PolyaGammaB(10), PolyaGammaB(100), PolyaGammaB(1000),
        Multinomial(3, 10), Multinomial(3, 50), Multinomial(3, 200), Multinomial(3, 1000), Multinomial(3, 100_000), Multinomial(10, 10), Multinomial(10, 1000), Multinomial(10, 100_000),
        GammaShape("gamma_shape0_1", 0.1), GammaShape("gamma_shape1", 1), GammaShape("gamma_shape10", 10),
        BinomialMixed(),
        DirichletK3(),
    ];

    private static KernelWorkload Uniform()
    {
        var destination = new double[1 << 20];
        var random = new RandomStream(1, 0);
        return new("uniform_f64", "uniform doubles on (0, 1)", destination.Length, "draws", () => random.FillUniform(destination));
    }

    private static KernelWorkload PolyaGammaOne(string key, double z)
    {
        var zs = Enumerable.Repeat(z, 1 << 16).ToArray();
        var destination = new double[zs.Length];
        var random = new RandomStream(2, 0);
        return new(key, $"PG(1, {z})", zs.Length, "draws", () => PolyaGamma.SampleOne(zs, destination, ref random));
    }

    private static KernelWorkload PolyaGammaMixed()
    {
        var setup = new RandomStream(3, 1);
        var zs = Enumerable.Range(0, 1 << 16).Select(_ => 0.5 + setup.NextNormal()).ToArray();
        var destination = new double[zs.Length];
        var random = new RandomStream(3, 0);
        return new("pg1_mixed", "PG(1, z), z ~ N(0.5, 1) per element", zs.Length, "draws", () => PolyaGamma.SampleOne(zs, destination, ref random));
    }

    private static KernelWorkload PolyaGammaB(int b)
    {
        var count = b >= 100 ? 1 << 12 : 1 << 14;
        var bs = Enumerable.Repeat((double)b, count).ToArray();
        var zs = Enumerable.Repeat(1.0, count).ToArray();
        var destination = new double[count];
        var random = new RandomStream(4, 0);
        return new($"pg_b{b}", $"PG({b}, 1)", count, "draws", () => PolyaGamma.Sample(bs, zs, destination, ref random));
    }

    private static KernelWorkload Multinomial(int k, int n)
    {
        var rows = n >= 100_000 ? 1 << 12 : 1 << 14;
        var setup = new RandomStream(5, 1);
        var p = new double[rows * k];
        Sampling.Dirichlet.Sample(Enumerable.Repeat(1.0, rows * k).ToArray(), k, p, ref setup); // a different p per row
        var trials = Enumerable.Repeat((double)n, rows).ToArray();
        var destination = new double[rows * k];
        var random = new RandomStream(5, 0);
        return new($"multinomial_k{k}_n{n}", $"Multinomial({n}, p), K = {k}, p per row", rows, "vectors",
            () => Sampling.Multinomial.Sample(trials, p, k, destination, ref random));
    }

    private static KernelWorkload GammaShape(string key, double shape)
    {
        // Per-element shapes spread around the nominal one, so no lane can share work with another.
        var shapes = Enumerable.Range(0, 1 << 16).Select(i => shape * (0.9 + 0.2 * (i % 97) / 97.0)).ToArray();
        var destination = new double[shapes.Length];
        var random = new RandomStream(6, 0);
        return new(key, $"Gamma(~{shape}) per-element shape", shapes.Length, "draws", () => Gamma.Sample(shapes, destination, ref random));
    }

    private static KernelWorkload BinomialMixed()
    {
        var setup = new RandomStream(7, 1);
        var n = Enumerable.Range(0, 1 << 16).Select(i => (double)(1 + i % 200)).ToArray();
        var p = n.Select(_ => setup.NextDouble()).ToArray();
        var destination = new double[n.Length];
        var random = new RandomStream(7, 0);
        return new("binomial_mixed", "Binomial(n in 1..200, p ~ U(0, 1)) per element", n.Length, "draws", () => Binomial.Sample(n, p, destination, ref random));
    }

    private static KernelWorkload DirichletK3()
    {
        var setup = new RandomStream(8, 1);
        var alpha = Enumerable.Range(0, 3 << 14).Select(_ => 0.2 + 5 * setup.NextDouble()).ToArray();
        var destination = new double[alpha.Length];
        var random = new RandomStream(8, 0);
        return new("dirichlet_k3", "Dirichlet, K = 3, alpha per row", alpha.Length / 3, "vectors", () => Sampling.Dirichlet.Sample(alpha, 3, destination, ref random));
    }
}
