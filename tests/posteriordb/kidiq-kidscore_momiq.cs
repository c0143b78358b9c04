using Dsl;

namespace Posteriordb;

/// posteriordb kidiq-kidscore_momiq: a child's test score on the mother's IQ.
[PlateModel("kid_score(n) ~ Normal(beta[1] + beta[2] mom_iq(n), sigma); beta flat, sigma half-Cauchy(0, 2.5)")]
public partial class KidscoreMomiq
{
    [Plate] public partial struct N { }
    [Plate(Size = 2)] public partial struct Coefficient { }

    [Data] public partial double mom_iq(N n);
    [Latent] public double beta(Coefficient k) => Dist.Flat();
    [Latent] public double sigma() => Dist.HalfCauchy(2.5);
    [Observed] public double kid_score(N n) => Dist.Normal(beta(new Coefficient(0)) + beta(new Coefficient(1)) * mom_iq(n), sigma());
}
