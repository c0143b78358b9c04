using Dsl;
using static Dsl.Fn;

namespace Posteriordb;

/// posteriordb sblri-blr: Bayesian linear regression on five predictors.
[PlateModel("y(n) ~ Normal(sum_d X(n, d) beta(d), sigma); beta(d) ~ Normal(0, 10), sigma half-Normal(0, 10)")]
public partial class Blr
{
    [Plate] public partial struct N { }
    [Plate] public partial struct D { }

    [Data] public partial double X(N n, D d);
    [Latent] public double beta(D d) => Dist.Normal(0, 10);
    [Latent] public double sigma() => Dist.HalfNormal(10);
    [Observed] public double y(N n) => Dist.Normal(Sum((D d) => X(n, d) * beta(d)), sigma());
}
