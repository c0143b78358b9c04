using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>
/// Binomial successes with a logit design and clinic effects whose scale is half-Cauchy: under exact Gibbs
/// (`--method gibbs`) the coefficients are drawn jointly and the effects one by one through each count's Pólya-Gamma
/// variable, and the scale, which no entry covers, by a slice step; NUTS is the default.
/// </summary>
[PlateModel("Binomial logit with clinic effects and a half-Cauchy scale")]
public partial class ClinicLogit
{
    [Plate] public partial struct Trial { }
    [Plate] public partial struct Clinic { }
    [Plate] public partial struct Feature { }

    [Data] public partial Clinic clinic(Trial n);
    [Data] public partial int attempts(Trial n);
    [Data] public partial double design(Trial n, Feature f);
    [Latent] public double scale() => Dist.HalfCauchy(1);
    [Latent] public double effect(Clinic c) => Dist.Normal(0, scale());
    [Latent] public double coefficient(Feature f) => Dist.Normal(0, 2);
    [Observed] public int successes(Trial n) => Dist.Binomial(attempts(n), logit: Sum((Feature f) => design(n, f) * coefficient(f)) + effect(clinic(n)));
}
