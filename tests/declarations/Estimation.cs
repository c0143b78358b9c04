using Dsl;
using static Dsl.Fn;

namespace Estimation;

// Models of parameters only, fitted by maximum likelihood. The tests differentiate their generated log likelihoods,
// check that the matrix products the generator lowers to GEMM agree with plain loops, and recover their parameters.

/// Low-rank completion: one layer of factors, the zeros missing (deepMc with one layer).
[PlateModel("One-layer factorisation, zeros missing")]
public partial class LowRank
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Factor { }

    [Param] public partial double basis(Gene g, Factor k);
    [Param] public partial double coefficient(Factor k, Cell c);
    [Observed, ZerosMissing] public double expression(Cell c, Gene g) => Dist.Normal(Sum((Factor k) => basis(g, k) * coefficient(k, c)), 1);
}

/// The same model with the product hidden from the lowering (a factor of one in the sum's body): evaluated by plain loops.
[PlateModel("One-layer factorisation by loops")]
public partial class LowRankLoops
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Factor { }

    [Param] public partial double basis(Gene g, Factor k);
    [Param] public partial double coefficient(Factor k, Cell c);
    [Observed, ZerosMissing] public double expression(Cell c, Gene g) => Dist.Normal(Sum((Factor k) => basis(g, k) * coefficient(k, c) * 1), 1);
}

/// Three layers of bases and the coefficients stored cell-major, a mask saying which entries were measured.
[PlateModel("Three-layer factorisation with a mask")]
public partial class ThreeLayers
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Wide { }
    [Plate] public partial struct Middle { }
    [Plate] public partial struct Narrow { }

    [Data] public partial int measured(Cell c, Gene g);
    [Param] public partial double d1(Gene g, Wide a);
    [Param] public partial double d2(Wide a, Middle b);
    [Param] public partial double d3(Middle b, Narrow k);
    [Param] public partial double z(Cell c, Narrow k);
    [Observed, MeasuredWhere(nameof(measured))] public double x(Cell c, Gene g) =>
        Dist.Normal(Sum((Wide a) => d1(g, a) * Sum((Middle b) => d2(a, b) * Sum((Narrow k) => d3(b, k) * z(c, k)))), 1);
}

/// The same three layers by plain loops (each sum's body times one).
[PlateModel("Three-layer factorisation by loops")]
public partial class ThreeLayersLoops
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Wide { }
    [Plate] public partial struct Middle { }
    [Plate] public partial struct Narrow { }

    [Data] public partial int measured(Cell c, Gene g);
    [Param] public partial double d1(Gene g, Wide a);
    [Param] public partial double d2(Wide a, Middle b);
    [Param] public partial double d3(Middle b, Narrow k);
    [Param] public partial double z(Cell c, Narrow k);
    [Observed, MeasuredWhere(nameof(measured))] public double x(Cell c, Gene g) =>
        Dist.Normal(Sum((Wide a) => d1(g, a) * Sum((Middle b) => d2(a, b) * Sum((Narrow k) => d3(b, k) * z(c, k) * 1) * 1) * 1), 1);
}

/// Non-negative matrix factorisation of counts (Lee and Seung's Poisson objective), with a per-cell size factor.
[PlateModel("Poisson NMF")]
public partial class PoissonNmf
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Program { }

    [Data] public partial double size(Cell c);
    [Param, Positive] public partial double loading(Gene g, Program p);
    [Param, Positive] public partial double activity(Cell c, Program p);
    [Observed] public int count(Cell c, Gene g) => Dist.Poisson(size(c) * Sum((Program p) => activity(c, p) * loading(g, p)));
}

/// Multi-output linear regression: a data matrix times a coefficient matrix, a Gaussian noise sd per output.
[PlateModel("Multi-output regression")]
public partial class MultiOutput
{
    [Plate] public partial struct Sample { }
    [Plate] public partial struct Covariate { }
    [Plate] public partial struct Output { }

    [Data] public partial double x(Sample n, Covariate j);
    [Param] public partial double beta(Covariate j, Output o);
    [Param, Positive, Floor(1e-3)] public partial double noise(Output o);
    [Observed] public double y(Sample n, Output o) => Dist.Normal(Sum((Covariate j) => x(n, j) * beta(j, o)), noise(o));
}

/// Category frequencies on the simplex, estimated from observed choices.
[PlateModel("Categorical frequencies")]
public partial class Frequencies
{
    [Plate] public partial struct Choice { }
    [Plate] public partial struct Category { }

    [Param, Simplex(nameof(Category))] public partial double p(Category k);
    [Observed] public Category choice(Choice n) => Dist.Categorical((Category k) => p(k));
}

/// Frequencies with pseudo-counts: a Dirichlet(3) prior over the simplex (a MAP estimate), so each share is
/// (n_k + 2) / (N + 2K) rather than n_k / N.
[PlateModel("Categorical frequencies with pseudo-counts")]
public partial class SmoothedFrequencies
{
    [Plate] public partial struct Choice { }
    [Plate] public partial struct Category { }

    [Param, Simplex(nameof(Category))] public double p(Category k) => Dist.Dirichlet(over: k, 3);
    [Observed] public Category choice(Choice n) => Dist.Categorical((Category k) => p(k));
}

/// A factorisation whose basis has a standard normal prior (a ridge penalty: the fit is MAP) and whose noise sd is fitted.
[PlateModel("Low rank with a prior on the basis")]
public partial class RidgeLowRank
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Factor { }

    [Param] public double basis(Gene g, Factor k) => Dist.Normal(0, 1);
    [Param] public partial double coefficient(Factor k, Cell c);
    [Param, Positive] public partial double noise();
    [Observed] public double y(Cell c, Gene g) => Dist.Normal(Sum((Factor k) => basis(g, k) * coefficient(k, c)), noise());
}

/// Factor analysis with nothing bounding the noise sds: a gene the factors explain exactly drives its sd to zero and
/// the likelihood to infinity (a Heywood case), which a fit must not present as an answer.
[PlateModel("Factor analysis, unbounded")]
public partial class UnboundedFactors
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Factor { }

    [Param] public partial double loading(Gene g, Factor k);
    [Param] public double score(Cell c, Factor k) => Dist.Normal(0, 1);
    [Param] public partial double mu(Gene g);
    [Param, Positive] public partial double psi(Gene g);
    [Observed] public double y(Cell c, Gene g) => Dist.Normal(Sum((Factor k) => loading(g, k) * score(c, k)) + mu(g), psi(g));
}

/// A Gaussian mixture fitted by maximum likelihood: the allocations are summed out of the likelihood, so the
/// estimates are EM's fixed point, reached by L-BFGS on the marginal likelihood.
[PlateModel("Gaussian mixture, allocations summed out")]
public partial class Mixture
{
    [Plate] public partial struct Sample { }
    [Plate] public partial struct Component { }

    [Param, Simplex(nameof(Component))] public partial double weight(Component k);
    [Param] public partial double centre(Component k);
    [Param, Positive] public partial double spread(Component k);
    [Latent] public Component component(Sample n) => Dist.Categorical((Component k) => weight(k));
    [Observed] public double y(Sample n) => Dist.Normal(centre(component(n)), spread(component(n)));
}

/// A two-group mixture through a 0/1 latent: responders are shifted by an effect; the share is a logit parameter.
[PlateModel("Responders, a 0/1 latent summed out")]
public partial class Responders
{
    [Plate] public partial struct Sample { }

    [Param] public partial double shareLogit();
    [Param] public partial double baseline();
    [Param] public partial double effect();
    [Param, Positive] public partial double noise();
    [Latent] public int responder(Sample n) => Dist.Bernoulli(logit: shareLogit());
    [Observed] public double y(Sample n) => Dist.Normal(baseline() + effect() * responder(n), noise());
}
