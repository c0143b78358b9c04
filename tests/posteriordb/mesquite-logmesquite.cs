using Dsl;
using static Dsl.Fn;

namespace Posteriordb;

/// posteriordb mesquite-logmesquite: log weight of mesquite bushes on log size measures (weight ~ LogNormal is
/// Stan's log(weight) ~ Normal, up to a constant).
[PlateModel("weight(n) ~ LogNormal(beta[1] + beta[2..6] log(sizes) + beta[7] group, sigma); beta flat, sigma flat on (0, inf)")]
public partial class Logmesquite
{
    [Plate] public partial struct N { }
    [Plate(Size = 7)] public partial struct Coefficient { }

    [Data] public partial double diam1(N n);
    [Data] public partial double diam2(N n);
    [Data] public partial double canopy_height(N n);
    [Data] public partial double total_height(N n);
    [Data] public partial double density(N n);
    [Data] public partial double group(N n);
    [Latent] public double beta(Coefficient k) => Dist.Flat();
    [Latent] public double sigma() => Dist.HalfFlat();

    public double logMean(N n) => beta(new Coefficient(0)) + beta(new Coefficient(1)) * Log(diam1(n)) + beta(new Coefficient(2)) * Log(diam2(n))
        + beta(new Coefficient(3)) * Log(canopy_height(n)) + beta(new Coefficient(4)) * Log(total_height(n)) + beta(new Coefficient(5)) * Log(density(n))
        + beta(new Coefficient(6)) * group(n);

    [Observed] public double weight(N n) => Dist.LogNormal(logMean(n), sigma());
}
