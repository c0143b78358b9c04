using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>Dirichlet-multinomial rows: p ~ Dirichlet(alpha_r), then counts ~ Multinomial(n_r, p).</summary>
public static class DirichletMultinomial
{
    public static void Sample(ReadOnlySpan<double> n, ReadOnlySpan<double> alpha, int k, Span<double> destination, ref RandomStream random)
    {
        var p = new double[alpha.Length];
        Dirichlet.Sample(alpha, k, p, ref random);
        Multinomial.Sample(n, p, k, destination, ref random);
    }
}
