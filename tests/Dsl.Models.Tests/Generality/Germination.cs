using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>
/// Seeds germinating on plots: a complementary log-log link with a random effect per plot. No augmentation covers the
/// link, so the plot effects are slice-sampled and the M-step differentiates the probability itself.
/// </summary>
[PlateModel("complementary log-log regression with random plot effects")]
public partial class Germination
{
    [Plate] public partial struct Seed { }
    [Plate] public partial struct Plot { }

    [Data] public partial double dose(Seed s, Plot p);
    [Param] public partial double intercept();
    [Param] public partial double slope();
    [Param, Positive] public partial double plotVariance();
    [Latent] public double u(Plot p) => Dist.Normal(0, Sqrt(plotVariance()));
    [Observed] public int y(Seed s, Plot p) => Dist.Bernoulli(p: 1 - Exp(-Exp(intercept() + slope() * dose(s, p) + u(p))));
}
