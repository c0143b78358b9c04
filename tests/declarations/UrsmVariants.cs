using Dsl;
using static Dsl.Fn;

namespace UrsmVariants;

// One-edit variants of URSM that extend the bundled declaration: compile them with models/Dsl.Models/Ursm/Ursm.cs.

/// <summary>
/// URSM whose single cells capture each gene with an efficiency of its own, relative to bulk: each cell's multinomial
/// weights are A(i, G(l))·efficiency(i), so a gene the single-cell protocol under-captures is not read as
/// under-expressed. Both parameters sit inside one weight, and each one's M-step carries the normaliser's gradient
/// through the weight's symbolic derivative (efficiency(i) for A, A(i, G(l)) for efficiency). The efficiencies
/// are identified up to one common factor (the weights are normalised), which the bulk's A does not share.
/// </summary>
[PlateModel("URSM with per-gene single-cell capture efficiencies", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmCaptureEfficiency
{
    [Param, Positive] public partial double efficiency(Gene i);

    [Observed] public int Y(Gene i, Cell l) =>
        Dist.Multinomial(over: i, p: A(i, G(l)) * efficiency(i) * S(i, l) / Sum((Gene n) => A(n, G(l)) * efficiency(n) * S(n, l)));
}

/// <summary>
/// URSM whose dropout logit is linear in log expression, kappa + tau·Log(A(i, G(l))): the Pólya-Gamma statistics are
/// those of a logit affine in Log(A), and A's M-step reaches it through that term's derivative 1/A.
/// </summary>
[PlateModel("URSM with a dropout logit in log expression", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmLogDropout
{
    public double pi(Gene i, Cell l) => Logistic(kappa(l) + tau(l) * Log(A(i, G(l))));
}

/// <summary>
/// URSM with one dropout slope shared by every cell, a parameter, in place of the per-cell latent tau: the base's tau,
/// muTau and varTau are then read by nothing an observation depends on (DSL0309). Gibbs-EM samples kappa and the
/// switches and estimates the slope, leaving those three out.
/// </summary>
[PlateModel("URSM with one dropout slope for all cells", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmSharedSlope
{
    [Param] public partial double slope();

    public double pi(Gene i, Cell l) => Logistic(kappa(l) + slope() * A(i, G(l)));
}

/// <summary>
/// URSM whose cells' dropout intercepts kappa regress on a per-cell covariate (a sequencing depth, say): kappa's prior
/// mean is muKappa + depthEffect·depth(l), which no closed-form M-step covers, so muKappa, varKappa and depthEffect
/// ascend the log prior of kappa's recorded Pólya-Gamma draws.
/// </summary>
[PlateModel("URSM with a covariate in the dropout intercepts' prior", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmKappaCovariate
{
    [Data] public partial double depth(Cell l);
    [Param] public partial double depthEffect();

    [Latent] public double kappa(Cell l) => Dist.Normal(muKappa() + depthEffect() * depth(l), Sqrt(varKappa()));
}

/// <summary>
/// URSM with a latent effect of each gene in the dropout logit, kappa(l) + tau(l)·A(i, G(l)) + geneEffect(i), its
/// variance a parameter. The per-cell block cannot own a gene's effect, so it is a crossed block: an offset of each
/// cell's predictor at its current draw, and drawn after the cells from the switches of every cell.
/// </summary>
[PlateModel("URSM with a latent dropout effect per gene", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmGeneDropoutEffect
{
    [Param, Positive] public partial double varGene();
    [Latent] public double geneEffect(Gene i) => Dist.Normal(0, Sqrt(varGene()));
    public double pi(Gene i, Cell l) => Logistic(kappa(l) + tau(l) * A(i, G(l)) + geneEffect(i));
}

/// <summary>
/// URSM with one dropout intercept per cell type, read through each cell's type, kappaType(G(l)), in place of the
/// per-cell kappa (which nothing then reads, DSL0309): a crossed block that visits the switches of every cell of its
/// type.
/// </summary>
[PlateModel("URSM with a dropout intercept per cell type", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmTypeDropoutIntercept
{
    [Latent] public double kappaType(Type k) => Dist.Normal(muKappa(), Sqrt(varKappa()));
    public double pi(Gene i, Cell l) => Logistic(kappaType(G(l)) + tau(l) * A(i, G(l)));
}

/// <summary>
/// URSM whose bulk mixing proportions move with a covariate of each bulk sample (its donor's age, say): the Dirichlet
/// concentration alpha(k)·exp(ageEffect(k)·age(j)) differs between bulk samples, so the M-step's Dirichlet term has
/// one set of concentrations per sample, read from that sample's E[log W].
/// </summary>
[PlateModel("URSM with an age covariate in the bulk mixing proportions", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmBulkAgeEffect
{
    [Data] public partial double age(Bulk j);
    [Param] public partial double ageEffect(Type k);
    [Latent] public double W(Type k, Bulk j) => Dist.Dirichlet(over: k, alpha(k) * Exp(ageEffect(k) * age(j)));
}

/// <summary>
/// URSM with a Gamma prior on the bulk Dirichlet concentration, its rate a fitted hyperparameter: alpha is a MAP
/// estimate, the prior's log density a term of alpha's M-step objective and of the rate's (which nothing else reads).
/// </summary>
[PlateModel("URSM with a Gamma prior on the bulk mixing concentration", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmConcentrationPrior
{
    [Param, Positive] public partial double alphaRate();
    [Param, Positive, Floor(1e-2)] public double alpha(Type k) => Dist.Gamma(2, alphaRate());
}

/// <summary>
/// URSM with pseudo-counts on the profiles: a Dirichlet prior over each type's simplex of genes, its concentration
/// 1 + pseudo (data), so the M-step of A adds Σ pseudo · log A (a MAP estimate; pseudo = 0 is the base model).
/// </summary>
[PlateModel("URSM with a Dirichlet prior on the expression profiles", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmProfilePrior
{
    [Data] public partial double pseudo();
    [Param, Simplex(nameof(Gene)), Floor(1e-6)] public double A(Gene i, Type k) => Dist.Dirichlet(over: i, 1 + pseudo());
}

/// <summary>
/// URSM whose genes' dropout effects regress on a gene covariate (its GC content, say): geneEffect(i) ~ Normal(gcEffect
/// · gc(i), varGene). Neither parameter has a closed form with that mean, so each is fitted from the Monte Carlo log
/// prior over the crossed block's recorded draws.
/// </summary>
[PlateModel("URSM with gene dropout effects regressed on a covariate", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmGeneEffectCovariate
{
    [Data] public partial double gc(Gene i);
    [Param] public partial double gcEffect();
    [Param, Positive] public partial double varGene();
    [Latent] public double geneEffect(Gene i) => Dist.Normal(gcEffect() * gc(i), Sqrt(varGene()));
    public double pi(Gene i, Cell l) => Logistic(kappa(l) + tau(l) * A(i, G(l)) + geneEffect(i));
}
