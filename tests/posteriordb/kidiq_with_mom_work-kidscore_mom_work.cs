using Dsl;

namespace Posteriordb;

/// posteriordb kidiq_with_mom_work-kidscore_mom_work: a child's test score on the mother's work history, a factor of
/// four levels (1-4). Stan's indicators (mom_work == 2, ...) are Lagrange polynomials in it, each 1 at its level and 0
/// at the others.
[PlateModel("kid_score(n) ~ Normal(beta[1] + beta[2] [work = 2] + beta[3] [work = 3] + beta[4] [work = 4], sigma); beta flat, sigma flat on (0, inf)")]
public partial class KidscoreMomWork
{
    [Plate] public partial struct N { }
    [Plate(Size = 4)] public partial struct Coefficient { }

    [Data] public partial double mom_work(N n);
    public double work2(N n) => (mom_work(n) - 1) * (mom_work(n) - 3) * (mom_work(n) - 4) / 2;
    public double work3(N n) => (mom_work(n) - 1) * (mom_work(n) - 2) * (mom_work(n) - 4) / -2;
    public double work4(N n) => (mom_work(n) - 1) * (mom_work(n) - 2) * (mom_work(n) - 3) / 6;

    [Latent] public double beta(Coefficient k) => Dist.Flat();
    [Latent] public double sigma() => Dist.HalfFlat();
    [Observed] public double kid_score(N n) => Dist.Normal(beta(new Coefficient(0)) + beta(new Coefficient(1)) * work2(n) + beta(new Coefficient(2)) * work3(n)
        + beta(new Coefficient(3)) * work4(n), sigma());
}
