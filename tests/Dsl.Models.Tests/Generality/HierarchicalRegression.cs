using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>
/// A regression on a design with a random intercept per group, all in conjugate form: the intercept and the slopes
/// are drawn jointly (one linear predictor), the group effects one entry each, their precision and the residual
/// variance from their Gamma and inverse-gamma conditionals. Its exact Gibbs sampler is snapshotted.
/// </summary>
[PlateModel("Hierarchical regression in conjugate form")]
public partial class HierarchicalRegression
{
    [Plate] public partial struct Observation { }
    [Plate] public partial struct Feature { }
    [Plate] public partial struct Group { }

    [Data] public partial double x(Observation n, Feature k);
    [Data] public partial Group group(Observation n);
    [Latent] public double intercept() => Dist.Normal(0, 5);
    [Latent] public double slope(Feature k) => Dist.Normal(0, 5);
    [Latent] public double groupPrecision() => Dist.Gamma(2, 1);
    [Latent] public double effect(Group j) => Dist.Normal(0, 1 / Sqrt(groupPrecision()));
    [Latent] public double variance() => Dist.InverseGamma(2, 1);
    [Observed] public double y(Observation n) =>
        Dist.Normal(intercept() + Sum((Feature k) => x(n, k) * slope(k)) + effect(group(n)), Sqrt(variance()));
}
