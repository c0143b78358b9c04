using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>
/// The topic model with each topic's concentration on the log scale, alpha_t = Exp(logAlpha(t)), unconstrained: the
/// M-step differentiates the Dirichlet's log density through the concentration's expression (∂alpha_t/∂logAlpha(t) =
/// Exp(logAlpha(t))), not only through a parameter standing alone.
/// </summary>
[PlateModel("topic model with log-scale concentrations")]
public partial class LogConcentrationTopics
{
    [Plate] public partial struct Word { }
    [Plate] public partial struct Topic { }
    [Plate] public partial struct Document { }

    [Param, Simplex(nameof(Word)), Floor(1e-8)] public partial double phi(Word v, Topic t);
    [Param] public partial double logAlpha(Topic t);

    [Latent] public double theta(Topic t, Document d) => Dist.Dirichlet(over: t, Exp(logAlpha(t)));
    [Observed] public int count(Word v, Document d) => Dist.Multinomial(over: v, p: Sum((Topic t) => phi(v, t) * theta(t, d)));
}
