using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>Bayesian logistic regression with a Gaussian prior whose variance is fitted (Polya-Gamma rule, closed-form variance).</summary>
[PlateModel("Bayesian logistic regression")]
public partial class LogisticRegression
{
    [Plate] public partial struct Sample { }
    [Plate] public partial struct Feature { }

    [Data] public partial double x(Sample n, Feature f);
    [Param, Positive] public partial double priorVariance();
    [Latent] public double beta(Feature f) => Dist.Normal(0, Sqrt(priorVariance()));
    [Observed] public int y(Sample n) => Dist.Bernoulli(logit: Sum((Feature f) => x(n, f) * beta(f)));
}
