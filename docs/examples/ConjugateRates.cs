using Dsl;

namespace Examples;

/// <summary>
/// Each gene's expression rate from a Gamma prior whose rate is itself unknown (Gamma), counts Poisson with each
/// cell's size factor as exposure: every latent is conjugate, so the model is sampled by exact Gibbs.
/// </summary>
[PlateModel("Gamma-Poisson gene rates with a Gamma hyperprior, in conjugate form")]
public partial class ConjugateRates
{
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Cell { }

    [Data] public partial double size(Cell c);
    [Latent] public double scale() => Dist.Gamma(1, 1);
    [Latent] public double rate(Gene g) => Dist.Gamma(1.5, scale());
    [Observed] public int y(Gene g, Cell c) => Dist.Poisson(size(c) * rate(g));
}
