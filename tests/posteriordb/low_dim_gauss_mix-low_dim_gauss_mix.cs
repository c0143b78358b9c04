using Dsl;

namespace Posteriordb;

/// posteriordb low_dim_gauss_mix-low_dim_gauss_mix: a two-component normal mixture with ordered means. Stan writes
/// the mixture with log_mix; here each observation's component is a 0/1 latent (1: the first component, weight
/// theta), which the sampler sums out of the density the same way.
[PlateModel("y(n) ~ theta Normal(mu[1], sigma[1]) + (1 - theta) Normal(mu[2], sigma[2]); mu ordered ~ Normal(0, 2), sigma half-Normal(0, 2), theta ~ Beta(5, 5)")]
public partial class LowDimGaussMix
{
    [Plate] public partial struct N { }
    [Plate(Size = 2)] public partial struct Component { }

    [Latent, Ordered] public double mu(Component k) => Dist.Normal(0, 2);
    [Latent] public double sigma(Component k) => Dist.HalfNormal(2);
    [Latent] public double theta() => Dist.Beta(5, 5);
    [Latent] public int first(N n) => Dist.Bernoulli(p: theta());
    [Observed] public double y(N n) => Dist.Normal(first(n) * mu(new Component(0)) + (1 - first(n)) * mu(new Component(1)),
        first(n) * sigma(new Component(0)) + (1 - first(n)) * sigma(new Component(1)));
}
