using Dsl;
using static Dsl.Fn;

namespace Examples;

/// Each cell's counts as a mixture of known expression profiles (one per cluster, as frequencies over the genes), with
/// a Gamma activity per cell and profile. Each count is split over the profiles at every sweep, so the activities are
/// exact Gamma draws (`dsl fit --method gibbs`).
[PlateModel("Cells as mixtures of known cluster profiles")]
public partial class ClusterActivities
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Cluster { }

    [Data] public partial double profile(Gene g, Cluster k);
    [Latent] public double activity(Cell c, Cluster k) => Dist.Gamma(1, 0.01);
    [Observed] public int y(Gene g, Cell c) => Dist.Poisson(Sum((Cluster k) => profile(g, k) * activity(c, k)));
}
