using Dsl;

namespace Posteriordb;

/// posteriordb eight_schools-eight_schools_noncentered: coaching effects in eight schools, non-centred.
[PlateModel("y(j) ~ Normal(mu + tau theta_trans(j), sigma(j)); theta_trans ~ Normal(0, 1), mu ~ Normal(0, 5), tau half-Cauchy(0, 5)")]
public partial class EightSchoolsNoncentered
{
    [Plate] public partial struct J { }

    [Data] public partial double sigma(J j);
    [Latent] public double mu() => Dist.Normal(0, 5);
    [Latent] public double tau() => Dist.HalfCauchy(5);
    [Latent] public double theta_trans(J j) => Dist.Normal(0, 1);
    public double theta(J j) => mu() + tau() * theta_trans(j);
    [Observed] public double y(J j) => Dist.Normal(theta(j), sigma(j));
}
