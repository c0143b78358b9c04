using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>
/// <see cref="Germination"/> with heavy-tailed plot effects, a Student-t of unknown scale: the effects are still
/// slice-sampled, and the scale's M-step differentiates the prior's log density over their recorded draws.
/// </summary>
[PlateModel("complementary log-log regression with Student-t plot effects")]
public partial class RobustGermination
{
    [Plate] public partial struct Seed { }
    [Plate] public partial struct Plot { }

    [Data] public partial double dose(Seed s, Plot p);
    [Param] public partial double intercept();
    [Param] public partial double slope();
    [Param, Positive] public partial double plotScale();
    [Latent] public double u(Plot p) => Dist.StudentT(4, 0, plotScale());
    [Observed] public int y(Seed s, Plot p) => Dist.Bernoulli(p: 1 - Exp(-Exp(intercept() + slope() * dose(s, p) + u(p))));
}
