using Dsl;

namespace Examples;

/// A Gaussian mixture whose weights, centres and spreads are parameters: each observation's component is summed out
/// of the likelihood, so maximum likelihood fits the marginal likelihood EM climbs, and the fit reports each
/// observation's responsibilities.
[PlateModel("Gaussian mixture, maximum likelihood")]
public partial class Mixture
{
    [Plate] public partial struct Sample { }
    [Plate(Size = 3)] public partial struct Component { }

    [Param, Simplex(nameof(Component))] public partial double weight(Component k);
    [Param] public partial double centre(Component k);
    [Param, Positive] public partial double spread(Component k);
    [Latent] public Component component(Sample n) => Dist.Categorical((Component k) => weight(k));
    [Observed] public double y(Sample n) => Dist.Normal(centre(component(n)), spread(component(n)));
}
