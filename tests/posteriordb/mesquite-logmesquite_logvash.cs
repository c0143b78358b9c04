using Dsl;
using static Dsl.Fn;

namespace Posteriordb;

/// posteriordb mesquite-logmesquite_logvash: log weight on the logs of canopy volume, area and shape, and total height.
[PlateModel("weight(n) ~ LogNormal(beta[1] + beta[2] log volume + beta[3] log area + beta[4] log shape + beta[5] log total_height + beta[6] group, sigma); beta flat, sigma flat on (0, inf)")]
public partial class LogmesquiteLogvash
{
    [Plate] public partial struct N { }
    [Plate(Size = 6)] public partial struct Coefficient { }

    [Data] public partial double diam1(N n);
    [Data] public partial double diam2(N n);
    [Data] public partial double canopy_height(N n);
    [Data] public partial double total_height(N n);
    [Data] public partial double group(N n);
    public double logVolume(N n) => Log(diam1(n) * diam2(n) * canopy_height(n));
    public double logArea(N n) => Log(diam1(n) * diam2(n));
    public double logShape(N n) => Log(diam1(n) / diam2(n));

    [Latent] public double beta(Coefficient k) => Dist.Flat();
    [Latent] public double sigma() => Dist.HalfFlat();
    [Observed] public double weight(N n) => Dist.LogNormal(beta(new Coefficient(0)) + beta(new Coefficient(1)) * logVolume(n) + beta(new Coefficient(2)) * logArea(n)
        + beta(new Coefficient(3)) * logShape(n) + beta(new Coefficient(4)) * Log(total_height(n)) + beta(new Coefficient(5)) * group(n), sigma());
}
