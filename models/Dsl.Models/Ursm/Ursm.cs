using Dsl;
using static Dsl.Fn;

namespace Dsl.Models.Ursm;

/// <summary>
/// URSM, the unified RNA-sequencing model (Zhu, Lei, Devlin &amp; Roeder 2018, section 2 and Figure 1): single-cell
/// counts with dropouts and bulk mixtures share one profile matrix A.
/// </summary>
[PlateModel("unified single-cell and bulk RNA-seq model")]
public partial class Ursm
{
    [Plate("genes, i = 1..N")] public partial struct Gene { }
    [Plate("cell types, k = 1..K")] public partial struct Type { }
    [Plate("single cells, l = 1..L")] public partial struct Cell { }
    [Plate("bulk samples, j = 1..M")] public partial struct Bulk { }

    /// <summary>G_l: the known type of single cell l.</summary>
    [Data] public partial Type G(Cell l);

    /// <summary>A: relative expression of each gene in each type; every column sums to one (Remark 1: entries stay positive).</summary>
    [Param, Simplex(nameof(Gene)), Floor(1e-6)] public partial double A(Gene i, Type k);

    /// <summary>alpha: the Dirichlet prior of the bulk mixing proportions.</summary>
    [Param, Positive, Floor(1e-2)] public partial double alpha(Type k);

    [Param] public partial double muKappa();
    [Param, Positive] public partial double varKappa();
    [Param] public partial double muTau();
    [Param, Positive] public partial double varTau();

    // Bulk data: W_.j ~ Dirichlet(alpha); X_.j | W_.j ~ Multinomial(R_j, A W_.j).
    [Latent] public double W(Type k, Bulk j) => Dist.Dirichlet(over: k, alpha(k));
    [Observed] public int X(Gene i, Bulk j) => Dist.Multinomial(over: i, p: Sum((Type k) => A(i, k) * W(k, j)));

    // Single-cell data: kappa_l, tau_l Gaussian; pi_il = logistic(kappa_l + tau_l A_{i,G_l}); S_il ~ Bernoulli(pi_il).
    [Latent] public double kappa(Cell l) => Dist.Normal(muKappa(), Sqrt(varKappa()));
    [Latent] public double tau(Cell l) => Dist.Normal(muTau(), Sqrt(varTau()));
    public double pi(Gene i, Cell l) => Logistic(kappa(l) + tau(l) * A(i, G(l)));
    [Latent] public int S(Gene i, Cell l) => Dist.Bernoulli(p: pi(i, l));

    // Y_.l | S_.l ~ Multinomial(R_l, p_l), p_il = A_{i,G_l} S_il / sum_n A_{n,G_l} S_nl.
    [Observed] public int Y(Gene i, Cell l) =>
        Dist.Multinomial(over: i, p: A(i, G(l)) * S(i, l) / Sum((Gene n) => A(n, G(l)) * S(n, l)));
}
