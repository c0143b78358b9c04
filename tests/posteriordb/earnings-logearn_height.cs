using Dsl;

namespace Posteriordb;

/// posteriordb earnings-logearn_height. Stan models log(earn) ~ Normal(...); earn ~ LogNormal(...) is the same
/// posterior (the Jacobian 1/earn does not depend on the parameters).
[PlateModel("earn(n) ~ LogNormal(beta[1] + beta[2] height(n), sigma); beta flat, sigma flat on (0, inf)")]
public partial class LogearnHeight
{
    [Plate] public partial struct N { }
    [Plate(Size = 2)] public partial struct Coefficient { }

    [Data] public partial double height(N n);
    [Latent] public double beta(Coefficient k) => Dist.Flat();
    [Latent] public double sigma() => Dist.HalfFlat();
    [Observed] public double earn(N n) => Dist.LogNormal(beta(new Coefficient(0)) + beta(new Coefficient(1)) * height(n), sigma());
}
