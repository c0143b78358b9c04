using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>
/// Poisson counts with per-gene rates and a per-cell Normal random effect (README.md's example): no Gibbs-EM rule
/// claims the effect inside a log link, so NUTS samples it, and the rates are point-estimated beside it.
/// </summary>
[PlateModel("Poisson counts with a per-cell random effect")]
public partial class PoissonRandomEffect
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }

    [Data] public partial double size(Cell c);
    [Param, Positive] public partial double rate(Gene g);
    [Latent] public double z(Cell c) => Dist.Normal(0, 1);
    [Observed] public int y(Cell c, Gene g) => Dist.Poisson(size(c) * rate(g) * Exp(z(c)));
}
