using Dsl;
using static Dsl.Fn;

namespace Posteriordb;

/// posteriordb diamonds-diamonds (brms's normal_id_glm): log price of 5,000 diamonds on 24 predictors. brms drops the
/// design's intercept column and centres the rest in transformed data; here a node computed from the data names
/// column k + 1 of X, and another centres it.
[PlateModel("Y(n) ~ Normal(Intercept + sum_k Xc(n, k) b(k), sigma), Xc = X's columns 2..25 centred; b ~ Normal(0, 1), Intercept ~ StudentT(3, 8, 10), sigma half-StudentT(3, 10)")]
public partial class Diamonds
{
    [Plate] public partial struct N { }
    [Plate] public partial struct K { }
    [Plate(Size = 24)] public partial struct Kc { }

    [Data] public partial double X(N n, K k);
    public K column(Kc k) => new K(k.Value + 1);
    public double meanX(Kc k) => Sum((N m) => X(m, column(k))) / Size<N>();
    public double Xc(N n, Kc k) => X(n, column(k)) - meanX(k);

    [Latent] public double b(Kc k) => Dist.Normal(0, 1);
    [Latent] public double Intercept() => Dist.StudentT(3, 8, 10);
    [Latent] public double sigma() => Dist.HalfStudentT(3, 10);
    [Observed] public double Y(N n) => Dist.Normal(Intercept() + Sum((Kc k) => Xc(n, k) * b(k)), sigma());
}
