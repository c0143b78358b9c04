using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>A Dirichlet-multinomial mixture of topics over count vectors (LDA with the topic matrix as a parameter).</summary>
[PlateModel("topic model on count vectors")]
public partial class TopicModel
{
    [Plate] public partial struct Word { }
    [Plate] public partial struct Topic { }
    [Plate] public partial struct Document { }

    [Param, Simplex(nameof(Word)), Floor(1e-8)] public partial double phi(Word v, Topic t);
    [Param, Positive, Floor(1e-3)] public partial double alpha(Topic t);

    [Latent] public double theta(Topic t, Document d) => Dist.Dirichlet(over: t, alpha(t));
    [Observed] public int count(Word v, Document d) => Dist.Multinomial(over: v, p: Sum((Topic t) => phi(v, t) * theta(t, d)));
}
