using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>
/// <see cref="Germination"/> on a probit link, p = Phi(eta): again no augmentation applies in Gibbs-EM, so the plot
/// effects are slice-sampled, and the Bernoulli logs are LogPhi(eta) and LogPhi(-eta), finite in both tails.
/// </summary>
[PlateModel("probit regression with random plot effects", Extends = typeof(Germination))]
public partial class ProbitGermination
{
    [Observed] public int y(Seed s, Plot p) => Dist.Bernoulli(p: Phi(intercept() + slope() * dose(s, p) + u(p)));
}
