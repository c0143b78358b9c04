using Dsl;

namespace Posteriordb;

/// posteriordb kidiq-kidscore_interaction: a child's test score on the mother's schooling, IQ and their interaction.
[PlateModel("kid_score(n) ~ Normal(beta[1] + beta[2] mom_hs + beta[3] mom_iq + beta[4] mom_hs mom_iq, sigma); beta flat, sigma half-Cauchy(0, 2.5)")]
public partial class KidscoreInteraction
{
    [Plate] public partial struct N { }
    [Plate(Size = 4)] public partial struct Coefficient { }

    [Data] public partial double mom_hs(N n);
    [Data] public partial double mom_iq(N n);
    [Latent] public double beta(Coefficient k) => Dist.Flat();
    [Latent] public double sigma() => Dist.HalfCauchy(2.5);
    [Observed] public double kid_score(N n) => Dist.Normal(beta(new Coefficient(0)) + beta(new Coefficient(1)) * mom_hs(n) + beta(new Coefficient(2)) * mom_iq(n)
        + beta(new Coefficient(3)) * mom_hs(n) * mom_iq(n), sigma());
}
