using Dsl;
using static Dsl.Fn;

namespace Reference;

/// posteriordb diamonds' model (brms): Y(n) ~ Normal(Intercept + Σ_k Xc(n, k)·b(k), sigma), b flat, Intercept
/// Student-t(3, 8, 10), sigma half-Student-t(3, 0, 10).
[PlateModel("wide regression: Y(n) ~ Normal(Intercept + sum_k Xc(n, k) b(k), sigma)")]
public partial class WideRegression
{
    [Plate] public partial struct N { }
    [Plate] public partial struct K { }

    [Data] public partial double Xc(N n, K k);
    [Latent] public double b(K k) => Dist.Flat();
    [Latent] public double Intercept() => Dist.StudentT(3, 8, 10);
    [Latent] public double sigma() => Dist.HalfStudentT(3, 10);
    [Observed] public double Y(N n) => Dist.Normal(Intercept() + Sum((K k) => Xc(n, k) * b(k)), sigma());
}
