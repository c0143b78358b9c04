using Dsl;
using static Dsl.Fn;

namespace Textbook;

// Textbook models no Gibbs-EM rule claims, so the generator samples them by NUTS. The tests differentiate their
// generated log densities, calibrate their samplers by simulation and recover their parameters.

/// Counts over regions with known exposures, rates from a Gamma prior whose shape is itself unknown.
[PlateModel("Gamma-Poisson with exposures and a hierarchical shape")]
public partial class GammaPoisson
{
    [Plate] public partial struct Region { }

    [Data] public partial double exposure(Region r);
    [Latent] public double shape() => Dist.Exponential(1);
    [Latent] public double rate(Region r) => Dist.Gamma(shape(), 2);
    [Observed] public int y(Region r) => Dist.Poisson(exposure(r) * rate(r));
}

/// Coin flips with a Beta prior on the coin's bias.
[PlateModel("Beta-Bernoulli")]
public partial class BetaBernoulli
{
    [Plate] public partial struct Flip { }

    [Latent] public double p() => Dist.Beta(2, 3);
    [Observed] public int heads(Flip f) => Dist.Bernoulli(p: p());
}

/// Group means kept in increasing order, observations with known group labels.
[PlateModel("Ordered group means")]
public partial class OrderedMeans
{
    [Plate] public partial struct Observation { }
    [Plate(Size = 3)] public partial struct Group { }

    [Data] public partial Group group(Observation n);
    [Latent, Ordered] public double mu(Group k) => Dist.Normal(0, 3);
    [Latent] public double sigma() => Dist.HalfNormal(1);
    [Observed] public double y(Observation n) => Dist.Normal(mu(group(n)), sigma());
}

/// Varying intercepts with brms' default scale priors, half-Student-t(3, 0, 2.5) on the group and residual sds;
/// the group effects are non-centred, so the sampler sees no funnel.
[PlateModel("Varying intercepts with half-Student-t scales")]
public partial class VaryingIntercepts
{
    [Plate] public partial struct Observation { }
    [Plate(Size = 4)] public partial struct Group { }

    [Data] public partial Group group(Observation n);
    [Latent] public double intercept() => Dist.Normal(0, 2);
    [Latent] public double groupSd() => Dist.HalfStudentT(3, 2.5);
    [Latent] public double effect(Group k) => Dist.Normal(0, 1);
    [Latent] public double sigma() => Dist.HalfStudentT(3, 2.5);
    [Observed] public double y(Observation n) => Dist.Normal(intercept() + groupSd() * effect(group(n)), sigma());
}

/// Cells from two populations of Poisson gene rates: the rates are sampled, the population shares point-estimated
/// (a [Simplex] parameter beside sampled latents), the cells' populations summed out.
[PlateModel("Poisson mixture with estimated shares")]
public partial class PoissonMixture
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate(Size = 2)] public partial struct Population { }

    [Param, Simplex(nameof(Population))] public partial double share(Population k);
    [Latent] public double rate(Population k, Gene g) => Dist.Gamma(2, 0.5);
    [Latent] public Population population(Cell c) => Dist.Categorical((Population k) => share(k));
    [Observed] public int count(Cell c, Gene g) => Dist.Poisson(rate(population(c), g));
}

/// A Poisson mixture whose component rates are ordered (Stan's positive_ordered under a Gamma prior), which removes
/// label switching; the allocations are summed out.
[PlateModel("Poisson mixture with ordered rates")]
public partial class OrderedRates
{
    [Plate] public partial struct Observation { }
    [Plate(Size = 3)] public partial struct Component { }

    [Latent] public double weight(Component k) => Dist.Dirichlet(over: k, 3);
    [Latent, Ordered] public double rate(Component k) => Dist.Gamma(2, 0.2);
    [Latent] public Component component(Observation n) => Dist.Categorical((Component k) => weight(k));
    [Observed] public int y(Observation n) => Dist.Poisson(rate(component(n)));
}

/// Zero-inflated Poisson written with its dropout indicator: a dropped entry has rate 0, so a positive count rules the
/// dropout out (a summed-out value of probability zero), and the dropout log-odds per gene are point-estimated.
[PlateModel("Zero-inflated Poisson with explicit dropouts")]
public partial class ExplicitZip
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }

    [Param] public partial double dropLogit(Gene g);
    [Latent] public double rate(Gene g) => Dist.Gamma(2, 0.5);
    [Latent] public int dropped(Cell c, Gene g) => Dist.Bernoulli(logit: dropLogit(g));
    [Observed] public int count(Cell c, Gene g) => Dist.Poisson((1 - dropped(c, g)) * rate(g));
}

/// Bernoulli outcomes on a probit link, p = Phi(intercept + slope x) (Albert and Chib's latent-utility model),
/// sampled by NUTS through Phi's derivative, the standard normal density.
[PlateModel("Probit regression")]
public partial class ProbitRegression
{
    [Plate] public partial struct Observation { }

    [Data] public partial double x(Observation n);
    [Latent] public double intercept() => Dist.Normal(0, 1);
    [Latent] public double slope() => Dist.Normal(0, 1);
    [Observed] public int y(Observation n) => Dist.Bernoulli(p: Phi(intercept() + slope() * x(n)));
}

/// Binomial successes on a logit link with heavy-tailed (Student-t) coefficient priors.
[PlateModel("Robust logistic regression, binomial trials")]
public partial class RobustLogistic
{
    [Plate] public partial struct Observation { }
    [Plate] public partial struct Coefficient { }

    [Data] public partial double x(Observation n, Coefficient k);
    [Data] public partial int trials(Observation n);
    [Latent] public double beta(Coefficient k) => Dist.StudentT(3, 0, 2.5);
    [Observed] public int successes(Observation n) => Dist.Binomial(trials(n), logit: Sum((Coefficient k) => x(n, k) * beta(k)));
}

/// Student-t observations whose degrees of freedom, location and variance are all unknown.
[PlateModel("Student-t location and scale")]
public partial class StudentTScale
{
    [Plate] public partial struct Observation { }

    [Latent] public double nu() => Dist.Uniform(1, 10);
    [Latent] public double location() => Dist.Cauchy(0, 2);
    [Latent] public double variance() => Dist.InverseGamma(3, 2);
    [Observed] public double z(Observation n) => Dist.StudentT(nu(), location(), Sqrt(variance()));
}

/// Zero-inflated negative binomial counts of a cell-by-gene matrix, means per gene.
[PlateModel("ZINB gene means with a shared dispersion and dropout")]
public partial class ZinbMeans
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }

    [Data] public partial double size(Cell c);
    [Latent] public double mean(Gene g) => Dist.LogNormal(1, 1);
    [Latent] public double dispersion() => Dist.Gamma(4, 1);
    [Latent] public double dropout() => Dist.Normal(-1, 1);
    [Observed] public int count(Cell c, Gene g) => Dist.ZeroInflatedNegativeBinomial(size(c) * mean(g), dispersion(), dropout());
}

/// A mixture of unit-variance normals whose allocations are summed out of the density, its weights a softmax of
/// Normal logits and its centres kept in order.
[PlateModel("Normal mixture with summed-out allocations")]
public partial class NormalMixture
{
    [Plate] public partial struct Observation { }
    [Plate(Size = 3)] public partial struct Cluster { }

    [Latent] public double logit(Cluster k) => Dist.Normal(0, 1);
    [Latent, Ordered] public double centre(Cluster k) => Dist.Normal(0, 5);
    [Latent] public Cluster cluster(Observation n) => Dist.Categorical(logit: (Cluster k) => logit(k));
    [Observed] public double y(Observation n) => Dist.Normal(centre(cluster(n)), 1);
}

/// The textbook Gaussian mixture: Dirichlet weights, allocations summed out, ordered means and one shared scale.
[PlateModel("Gaussian mixture with Dirichlet weights")]
public partial class GaussianMixture
{
    [Plate] public partial struct Observation { }
    [Plate(Size = 3)] public partial struct Component { }

    [Latent] public double weight(Component k) => Dist.Dirichlet(over: k, 2);
    [Latent, Ordered] public double mean(Component k) => Dist.Normal(0, 5);
    [Latent] public double sd() => Dist.HalfNormal(2);
    [Latent] public Component component(Observation n) => Dist.Categorical((Component k) => weight(k));
    [Observed] public double y(Observation n) => Dist.Normal(mean(component(n)), sd());
}

/// Compositions observed as shares (a Dirichlet likelihood) whose concentrations are a positive scale times a simplex.
[PlateModel("Dirichlet compositions")]
public partial class Compositions
{
    [Plate] public partial struct Sample { }
    [Plate] public partial struct Part { }

    [Latent] public double profile(Part p) => Dist.Dirichlet(over: p, 1.5);
    [Latent] public double precision() => Dist.Gamma(4, 0.2);
    [Observed] public double share(Sample s, Part p) => Dist.Dirichlet(over: p, precision() * profile(p));
}

/// A simplex the data never see beside a location they do: its posterior is its Dirichlet prior, which the sampler's
/// stick-breaking map and Jacobian must give back exactly.
[PlateModel("A Dirichlet latent left to its prior")]
public partial class SimplexPrior
{
    [Plate] public partial struct Observation { }
    [Plate(Size = 4)] public partial struct Part { }

    [Latent] public double share(Part p) => Dist.Dirichlet(over: p, 1.5);
    [Latent] public double location() => Dist.Normal(0, 1);
    [Observed] public double y(Observation n) => Dist.Normal(location(), 1);
}

/// Counts over categories whose shares are a softmax of Normal latents (the logistic-normal multinomial).
[PlateModel("Logistic-normal multinomial counts")]
public partial class LogisticNormalCounts
{
    [Plate] public partial struct Sample { }
    [Plate] public partial struct Category { }

    [Latent] public double eta(Sample s, Category c) => Dist.Normal(0, 1);
    [Observed] public int counts(Sample s, Category c) => Dist.Multinomial(over: c, p: Exp(eta(s, c)));
}

/// Observed choices among three categories on a softmax of per-category intercepts and slopes in a covariate.
[PlateModel("Softmax regression")]
public partial class SoftmaxRegression
{
    [Plate] public partial struct Observation { }
    [Plate(Size = 3)] public partial struct Category { }

    [Data] public partial double x(Observation n);
    [Latent] public double intercept(Category c) => Dist.Normal(0, 2);
    [Latent] public double slope(Category c) => Dist.Normal(0, 2);
    [Observed] public Category choice(Observation n) => Dist.Categorical(logit: (Category c) => intercept(c) + slope(c) * x(n));
}

/// posteriordb's blr with its linear predictor a deterministic node whose Sum's variable is also the name of the
/// observation's index: inlined, the names must not capture each other (the same posterior as tests/posteriordb/sblri-blr.cs).
[PlateModel("Bayesian linear regression, index names shared")]
public partial class BlrSharedNames
{
    [Plate] public partial struct N { }
    [Plate] public partial struct D { }

    [Data] public partial double X(N n, D d);
    [Latent] public double beta(D d) => Dist.Normal(0, 10);
    [Latent] public double sigma() => Dist.HalfNormal(10);
    public double mu(N n) => Sum((D d) => X(n, d) * beta(d));
    [Observed] public double y(N d) => Dist.Normal(mu(d), sigma());
}

/// <summary>
/// Crossed random effects in a logistic regression (items answered by subjects, each item in one domain, each subject
/// in one cohort): an intercept, a subject effect scaled by each item's discrimination, an effect per item, and one per
/// domain and cohort read through the item's domain and the subject's cohort. Gibbs-EM draws the subject effects one
/// subject at a time and the other three as crossed blocks; NUTS samples all of them jointly, so the two engines check
/// each other.
/// </summary>
[PlateModel("Logistic regression with crossed subject, item and domain effects")]
public partial class CrossedItemResponse
{
    [Plate] public partial struct Subject { }
    [Plate] public partial struct Item { }
    [Plate] public partial struct Domain { }
    [Plate] public partial struct Cohort { }

    [Data] public partial double discrimination(Item j);
    [Data] public partial Domain domainOf(Item j);
    [Data] public partial Cohort cohortOf(Subject s);
    [Latent] public double intercept() => Dist.Normal(0, 2);
    [Latent] public double ability(Subject s) => Dist.Normal(0, 1);
    [Latent] public double easiness(Item j) => Dist.Normal(0, 1);
    [Latent] public double domainEffect(Domain d, Cohort c) => Dist.Normal(0, 0.5);
    [Observed] public int correct(Subject s, Item j) => Dist.Bernoulli(logit: intercept() + discrimination(j) * ability(s) + easiness(j) + domainEffect(domainOf(j), cohortOf(s)));
}
