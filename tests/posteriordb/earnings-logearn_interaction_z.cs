using Dsl;
using static Dsl.Fn;

namespace Posteriordb;

/// posteriordb earnings-logearn_interaction_z: log earnings on standardised height, sex and their interaction. Stan
/// standardises height in transformed data; here the mean and sd are nodes computed from the data once (derived data).
[PlateModel("earn(n) ~ LogNormal(beta[1] + beta[2] z(n) + beta[3] male(n) + beta[4] z(n) male(n), sigma), z = standardised height; beta flat, sigma flat on (0, inf)")]
public partial class LogearnInteractionZ
{
    [Plate] public partial struct N { }
    [Plate(Size = 4)] public partial struct Coefficient { }

    [Data] public partial double height(N n);
    [Data] public partial double male(N n);
    public double meanHeight() => Sum((N m) => height(m)) / Size<N>();
    public double sdHeight() => Sqrt(Sum((N m) => (height(m) - meanHeight()) * (height(m) - meanHeight())) / (Size<N>() - 1));
    public double zHeight(N n) => (height(n) - meanHeight()) / sdHeight();

    [Latent] public double beta(Coefficient k) => Dist.Flat();
    [Latent] public double sigma() => Dist.HalfFlat();
    [Observed] public double earn(N n) => Dist.LogNormal(beta(new Coefficient(0)) + beta(new Coefficient(1)) * zHeight(n) + beta(new Coefficient(2)) * male(n)
        + beta(new Coefficient(3)) * zHeight(n) * male(n), sigma());
}
