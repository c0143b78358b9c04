using Dsl;
using static Dsl.Fn;

namespace Posteriordb;

/// posteriordb kidiq_with_mom_work-kidscore_interaction_z: a child's test score on the mother's schooling and IQ, each
/// standardised as Gelman and Hill do, (x - mean) / (2 sd) with the sample sd, and their product. The means and sds
/// are nodes of data alone, computed once.
[PlateModel("kid_score(n) ~ Normal(beta[1] + beta[2] z_hs(n) + beta[3] z_iq(n) + beta[4] z_hs(n) z_iq(n), sigma), z = (x - mean) / (2 sd); beta flat, sigma flat on (0, inf)")]
public partial class KidscoreInteractionZ
{
    [Plate] public partial struct N { }
    [Plate(Size = 4)] public partial struct Coefficient { }

    [Data] public partial double mom_hs(N n);
    [Data] public partial double mom_iq(N n);
    public double meanHs() => Sum((N m) => mom_hs(m)) / Size<N>();
    public double meanIq() => Sum((N m) => mom_iq(m)) / Size<N>();
    public double sdHs() => Sqrt(Sum((N m) => (mom_hs(m) - meanHs()) * (mom_hs(m) - meanHs())) / (Size<N>() - 1));
    public double sdIq() => Sqrt(Sum((N m) => (mom_iq(m) - meanIq()) * (mom_iq(m) - meanIq())) / (Size<N>() - 1));
    public double zHs(N n) => (mom_hs(n) - meanHs()) / (2 * sdHs());
    public double zIq(N n) => (mom_iq(n) - meanIq()) / (2 * sdIq());

    [Latent] public double beta(Coefficient k) => Dist.Flat();
    [Latent] public double sigma() => Dist.HalfFlat();
    [Observed] public double kid_score(N n) => Dist.Normal(beta(new Coefficient(0)) + beta(new Coefficient(1)) * zHs(n) + beta(new Coefficient(2)) * zIq(n)
        + beta(new Coefficient(3)) * zHs(n) * zIq(n), sigma());
}
