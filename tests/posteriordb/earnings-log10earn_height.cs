using Dsl;
using static Dsl.Fn;

namespace Posteriordb;

/// posteriordb earnings-log10earn_height: log10 of earnings on height. Stan models log10(earn) ~ Normal(mu, sigma);
/// that is earn ~ LogNormal(mu·ln 10, sigma·ln 10), whose Jacobian (1 / (earn ln 10)) is free of the parameters, so
/// the posterior of beta and sigma is the same.
[PlateModel("log10(earn(n)) ~ Normal(beta[1] + beta[2] height(n), sigma); beta flat, sigma flat on (0, inf)")]
public partial class Log10EarnHeight
{
    [Plate] public partial struct N { }
    [Plate(Size = 2)] public partial struct Coefficient { }

    [Data] public partial double height(N n);

    [Latent] public double beta(Coefficient k) => Dist.Flat();
    [Latent] public double sigma() => Dist.HalfFlat();
    [Observed] public double earn(N n) => Dist.LogNormal(Log(10.0) * (beta(new Coefficient(0)) + beta(new Coefficient(1)) * height(n)), Log(10.0) * sigma());
}
