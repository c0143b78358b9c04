using Dsl;
using static Dsl.Fn;

namespace Conjugate;

// Models whose every latent has an exact update in the conjugate catalogue, so the generator emits exact Gibbs
// (Model.Conjugate.g.cs) beside NUTS. The tests calibrate the sweeps by simulation and hold them to NUTS's answers.

/// Counts with known exposures, rates from a Gamma whose rate is itself Gamma (Gamma–Poisson, then Gamma–Gamma).
[PlateModel("Gamma-Poisson with exposures and a Gamma hyperprior on the rate")]
public partial class GammaPoissonExposure
{
    [Plate] public partial struct Region { }
    [Data] public partial double exposure(Region r);
    [Latent] public double b() => Dist.Gamma(2, 1);
    [Latent] public double rate(Region r) => Dist.Gamma(3, b());
    [Observed] public int y(Region r) => Dist.Poisson(exposure(r) * rate(r));
}

/// Waiting times whose rate scales with a known speed; the rate's prior is Exponential (Gamma with shape 1).
[PlateModel("Exponential waits with an Exponential prior on their rate")]
public partial class ExponentialWaits
{
    [Plate] public partial struct Wait { }
    [Data] public partial double speed(Wait n);
    [Latent] public double lambda() => Dist.Exponential(1);
    [Observed] public double wait(Wait n) => Dist.Exponential(speed(n) * lambda());
}

/// Group means with an unknown mean and precision, observations with an unknown precision (Normal written by precision).
[PlateModel("Normal hierarchy in precisions")]
public partial class NormalPrecisions
{
    [Plate] public partial struct Observation { }
    [Plate] public partial struct Group { }
    [Data] public partial Group group(Observation n);
    [Latent] public double mu() => Dist.Normal(0, 3);
    [Latent] public double tau() => Dist.Gamma(3, 2);
    [Latent] public double precision() => Dist.Gamma(3, 2);
    [Latent] public double theta(Group k) => Dist.Normal(mu(), 1 / Sqrt(tau()));
    [Observed] public double y(Observation n) => Dist.Normal(theta(group(n)), 1 / Sqrt(precision()));
}

/// Log-normal measurements around group levels with an unknown log-scale variance.
[PlateModel("Log-normal levels with an inverse-gamma variance")]
public partial class LogNormalLevels
{
    [Plate] public partial struct Measurement { }
    [Plate] public partial struct Group { }
    [Data] public partial Group group(Measurement n);
    [Latent] public double level(Group k) => Dist.Normal(0, 2);
    [Latent] public double variance() => Dist.InverseGamma(3, 2);
    [Observed] public double y(Measurement n) => Dist.LogNormal(level(group(n)), Sqrt(variance()));
}

/// Successes out of known trials at each site, each site's probability with a Beta prior.
[PlateModel("Beta-Binomial sites")]
public partial class BetaBinomialSites
{
    [Plate] public partial struct Site { }
    [Data] public partial int trials(Site s);
    [Latent] public double p(Site s) => Dist.Beta(2, 2);
    [Observed] public int successes(Site s) => Dist.Binomial(trials(s), p: p(s));
}

/// Category labels with Dirichlet frequencies, and per-sample compositions counted by a multinomial.
[PlateModel("Dirichlet-Categorical and Dirichlet-Multinomial")]
public partial class DirichletCounts
{
    [Plate] public partial struct Draw { }
    [Plate(Size = 3)] public partial struct Kind { }
    [Plate] public partial struct Sample { }
    [Latent] public double frequency(Kind k) => Dist.Dirichlet(over: k, 1);
    [Observed] public Kind label(Draw n) => Dist.Categorical((Kind k) => frequency(k));
    [Latent] public double composition(Sample s, Kind k) => Dist.Dirichlet(over: k, 2);
    [Observed] public int count(Sample s, Kind k) => Dist.Multinomial(over: k, p: composition(s, k));
}

/// A regression on an uncentred design: the intercept and the coefficients are correlated a posteriori and drawn jointly.
[PlateModel("Regression with a design matrix and an inverse-gamma variance")]
public partial class DesignRegression
{
    [Plate] public partial struct Observation { }
    [Plate] public partial struct Feature { }
    [Data] public partial double x(Observation n, Feature k);
    [Latent] public double intercept() => Dist.Normal(0, 3);
    [Latent] public double slope(Feature k) => Dist.Normal(0, 3);
    [Latent] public double variance() => Dist.InverseGamma(3, 2);
    [Observed] public double y(Observation n) => Dist.Normal(intercept() + Sum((Feature k) => x(n, k) * slope(k)), Sqrt(variance()));
}

/// Counts that are structural zeros or Poisson: the 0/1 indicator of each count is enumerated, the zero share and the rate are conjugate to it.
[PlateModel("Zero-inflated Poisson with explicit indicators")]
public partial class ZeroInflatedCounts
{
    [Plate] public partial struct Count { }
    [Latent] public double share() => Dist.Beta(2, 2);
    [Latent] public double rate() => Dist.Gamma(4, 1);
    [Latent] public int expressed(Count n) => Dist.Bernoulli(p: share());
    [Observed] public int y(Count n) => Dist.Poisson(expressed(n) * rate());
}

/// A Gaussian mixture around known component locations, shifted together: allocations enumerated, weights Dirichlet,
/// the shift Normal and each component's variance inverse-gamma. The known locations name the components, so the
/// posterior has one labelling (a mixture whose centres are all unknown is label-symmetric).
[PlateModel("Gaussian mixture in conjugate form")]
public partial class ConjugateMixture
{
    [Plate] public partial struct Observation { }
    [Plate(Size = 2)] public partial struct Component { }
    [Data] public partial double location(Component k);
    [Latent] public double weight(Component k) => Dist.Dirichlet(over: k, 3);
    [Latent] public double shift() => Dist.Normal(0, 2);
    [Latent] public double variance(Component k) => Dist.InverseGamma(4, 3);
    [Latent] public Component component(Observation n) => Dist.Categorical((Component k) => weight(k));
    [Observed] public double y(Observation n) => Dist.Normal(location(component(n)) + shift(), Sqrt(variance(component(n))));
}

/// Words drawn from one of several sources with known word frequencies (unnormalised), the sources' shares unknown:
/// the allocation's child is itself categorical, reading the profile row its allocation picks.
[PlateModel("Mixture of categoricals with known profiles")]
public partial class CategoricalSources
{
    [Plate] public partial struct Token { }
    [Plate(Size = 3)] public partial struct Source { }
    [Plate(Size = 6)] public partial struct Word { }
    [Data] public partial double profile(Source k, Word v);
    [Latent] public double share(Source k) => Dist.Dirichlet(over: k, 2);
    [Latent] public Source source(Token t) => Dist.Categorical((Source k) => share(k));
    [Observed] public Word word(Token t) => Dist.Categorical((Word v) => profile(source(t), v));
}

/// A logistic regression on an uncentred covariate: the intercept and the slope, correlated a posteriori, are drawn
/// jointly through each response's Pólya-Gamma variable.
[PlateModel("Logistic regression by Pólya-Gamma augmentation")]
public partial class LogisticRegression
{
    [Plate] public partial struct Subject { }
    [Data] public partial double dose(Subject n);
    [Latent] public double intercept() => Dist.Normal(0, 1.5);
    [Latent] public double slope() => Dist.Normal(0, 1.5);
    [Observed] public int response(Subject n) => Dist.Bernoulli(logit: intercept() + slope() * dose(n));
}

/// Successes out of known attempts, with a logit effect per clinic (its precision Gamma) and coefficients on a design:
/// the effects single-site and the coefficients as a block, both through Pólya-Gamma variables of Binomial counts.
[PlateModel("Binomial logit with clinic effects")]
public partial class ClinicSuccesses
{
    [Plate] public partial struct Trial { }
    [Plate] public partial struct Clinic { }
    [Plate(Size = 2)] public partial struct Feature { }
    [Data] public partial Clinic clinic(Trial n);
    [Data] public partial int attempts(Trial n);
    [Data] public partial double design(Trial n, Feature f);
    [Latent] public double precision() => Dist.Gamma(3, 1);
    [Latent] public double effect(Clinic c) => Dist.Normal(0, 1 / Sqrt(precision()));
    [Latent] public double coefficient(Feature f) => Dist.Normal(0, 1);
    [Observed] public int successes(Trial n) => Dist.Binomial(attempts(n), logit: effect(clinic(n)) + Sum((Feature f) => design(n, f) * coefficient(f)));
}

/// Outcomes on a probit link with a clinic effect per clinic (its precision Gamma) and coefficients on a design: given
/// each outcome's latent utility, Normal(η, 1) on its side of zero (Albert and Chib 1993), the effects are single-site
/// Normal draws and the coefficients a Normal block, as for ClinicSuccesses' logit.
[PlateModel("Bernoulli probit with clinic effects")]
public partial class ProbitOutcomes
{
    [Plate] public partial struct Patient { }
    [Plate] public partial struct Clinic { }
    [Plate(Size = 2)] public partial struct Feature { }
    [Data] public partial Clinic clinic(Patient n);
    [Data] public partial double design(Patient n, Feature f);
    [Latent] public double precision() => Dist.Gamma(3, 1);
    [Latent] public double effect(Clinic c) => Dist.Normal(0, 1 / Sqrt(precision()));
    [Latent] public double coefficient(Feature f) => Dist.Normal(0, 1);
    [Observed] public int outcome(Patient n) => Dist.Bernoulli(p: Phi(effect(clinic(n)) + Sum((Feature f) => design(n, f) * coefficient(f))));
}

/// Successes out of known attempts on a probit link: each entry is its attempts' utilities, so given their mean it is a
/// Normal observation of the predictor with precision equal to the attempts, and the intercept and slope a Normal block.
[PlateModel("Binomial probit")]
public partial class ProbitSuccesses
{
    [Plate] public partial struct Trial { }
    [Data] public partial int attempts(Trial n);
    [Data] public partial double dose(Trial n);
    [Latent] public double intercept() => Dist.Normal(0, 1);
    [Latent] public double slope() => Dist.Normal(0, 1);
    [Observed] public int successes(Trial n) => Dist.Binomial(attempts(n), p: Phi(intercept() + slope() * dose(n)));
}

/// A Gaussian mixture whose components have identical priors: nothing in the declaration tells them apart, so the
/// posterior is symmetric in their labels and chains settle on different labellings, which the fit aligns.
[PlateModel("Gaussian mixture, components exchangeable")]
public partial class ExchangeableMixture
{
    [Plate] public partial struct Point { }
    [Plate(Size = 3)] public partial struct Component { }
    [Latent] public double weight(Component k) => Dist.Dirichlet(over: k, 1);
    [Latent] public double centre(Component k) => Dist.Normal(0, 10);
    [Latent] public double variance(Component k) => Dist.InverseGamma(2, 1);
    [Latent] public Component component(Point n) => Dist.Categorical((Component k) => weight(k));
    [Observed] public double y(Point n) => Dist.Normal(centre(component(n)), Sqrt(variance(component(n))));
}

/// Group means with a half-Normal scale: the means and their centre are exact Normal draws, and the scale, which no
/// entry covers, a slice step on its log.
[PlateModel("Normal hierarchy with a half-Normal scale")]
public partial class HalfNormalScale
{
    [Plate] public partial struct Observation { }
    [Plate] public partial struct Group { }
    [Data] public partial Group group(Observation n);
    [Latent] public double centre() => Dist.Normal(0, 3);
    [Latent] public double scale() => Dist.HalfNormal(1);
    [Latent] public double mean(Group k) => Dist.Normal(centre(), scale());
    [Observed] public double y(Observation n) => Dist.Normal(mean(group(n)), 1);
}

/// Poisson rates from a Gamma whose shape is unknown: the rates are exact Gamma draws given the shape, and the shape
/// (a Gamma's shape has no conjugate prior) a slice step.
[PlateModel("Gamma-Poisson with an unknown shape")]
public partial class UnknownShape
{
    [Plate] public partial struct Unit { }
    [Latent] public double shape() => Dist.Gamma(2, 1);
    [Latent] public double rate(Unit u) => Dist.Gamma(shape(), 1);
    [Observed] public int y(Unit u) => Dist.Poisson(rate(u));
}

/// A location known only to within thousands a priori (Cauchy tails, no exact entry: a slice step), read with a
/// noise variance of about 200² (inverse-gamma, exact): given ten readings the location's conditional is about 60
/// wide on the scale its slice steps take, sixty times their first width.
[PlateModel("Cauchy location from noisy readings")]
public partial class WideLocation
{
    [Plate] public partial struct Reading { }
    [Latent] public double location() => Dist.Cauchy(0, 1000);
    [Latent] public double noise() => Dist.InverseGamma(5, 160000);
    [Observed] public double y(Reading n) => Dist.Normal(location(), Sqrt(noise()));
}

/// Flat priors on a regression's coefficients and a Uniform(0, 1) probability: the coefficients' conditional is the
/// data's alone (least squares with a known sd), the probability's a Beta(1 + hits, 1 + misses).
[PlateModel("Flat coefficients and a uniform probability")]
public partial class FlatAndUniform
{
    [Plate] public partial struct Observation { }
    [Data] public partial double x(Observation n);
    [Latent] public double intercept() => Dist.Flat();
    [Latent] public double slope() => Dist.Flat();
    [Latent] public double share() => Dist.Uniform(0, 1);
    [Observed] public double y(Observation n) => Dist.Normal(intercept() + slope() * x(n), 1);
    [Observed] public int hit(Observation n) => Dist.Bernoulli(p: share());
}

/// Counts from known gene profiles mixed by per-cell Gamma activities (deconvolution with known sources, Poisson
/// factorisation with one factor known): each count is split over the sources, then each activity is Gamma.
[PlateModel("Poisson mixture of known profiles")]
public partial class KnownProfileActivities
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate(Size = 3)] public partial struct Source { }

    [Data] public partial double profile(Gene g, Source k);
    [Latent] public double activity(Cell c, Source k) => Dist.Gamma(2, 1);
    [Observed] public int y(Cell c, Gene g) => Dist.Poisson(Sum((Source k) => profile(g, k) * activity(c, k)));
}

/// Word counts of documents that mix topics, both the topics' word frequencies and the documents' topic shares
/// unknown (LDA on counts): each count is split over the topics, then both simplexes are Dirichlet. The topics' word
/// priors are data, so the topics are told apart by more than their labels.
[PlateModel("Topic model with Dirichlet topics")]
public partial class DirichletTopics
{
    [Plate] public partial struct Document { }
    [Plate] public partial struct Word { }
    [Plate(Size = 2)] public partial struct Topic { }

    [Data] public partial double wordPrior(Word v, Topic t);
    [Latent] public double share(Topic t, Document d) => Dist.Dirichlet(over: t, 1);
    [Latent] public double topic(Word v, Topic t) => Dist.Dirichlet(over: v, wordPrior(v, t));
    [Observed] public int count(Document d, Word v) => Dist.Multinomial(over: v, Sum((Topic t) => topic(v, t) * share(t, d)));
}

/// Documents each written in one topic (a mixture of multinomials): the document's topic is a plate-valued latent
/// that picks a row of the topics' word frequencies, drawn exactly by enumerating its values against the whole row of
/// counts; the frequencies and the topics' weights are Dirichlet. The word priors are data, as in DirichletTopics.
[PlateModel("Mixture of multinomials")]
public partial class MultinomialMixture
{
    [Plate] public partial struct Document { }
    [Plate] public partial struct Word { }
    [Plate(Size = 2)] public partial struct Topic { }

    [Data] public partial double wordPrior(Word v, Topic t);
    [Latent] public double weight(Topic t) => Dist.Dirichlet(over: t, 2);
    [Latent] public double words(Word v, Topic t) => Dist.Dirichlet(over: v, wordPrior(v, t));
    [Latent] public Topic topic(Document d) => Dist.Categorical((Topic t) => weight(t));
    [Observed] public int count(Document d, Word v) => Dist.Multinomial(over: v, p: words(v, topic(d)));
}

/// Poisson factorisation: gene loadings and cell scores, both Gamma, seen only through Σ_k w(g, k)·h(c, k). The factors
/// can be relabelled together, so the samplers align them; each count is split over the factors for exact Gibbs.
[PlateModel("Poisson factorisation")]
public partial class PoissonFactorisation
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate(Size = 2)] public partial struct Factor { }

    [Latent] public double w(Gene g, Factor k) => Dist.Gamma(1, 1);
    [Latent] public double h(Cell c, Factor k) => Dist.Gamma(1, 0.1);
    [Observed] public int y(Cell c, Gene g) => Dist.Poisson(Sum((Factor k) => w(g, k) * h(c, k)));
}

/// Entries of a multinomial switched off (URSM's single-cell part with a known profile): each cell's counts over the
/// genes have p_i ∝ profile_i·on_i, and a gene is on with a logit that rises along the profile. Each switch is drawn
/// exactly with a running sum of the switched-on weights, the logit's coefficients by Pólya-Gamma.
[PlateModel("Multinomial entries switched off")]
public partial class SwitchedProfiles
{
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Cell { }

    [Data] public partial double profile(Gene i);
    [Latent] public double level(Cell l) => Dist.Normal(3, 0.5);
    [Latent] public double slope(Cell l) => Dist.Normal(0, 0.5);
    [Latent] public int on(Gene i, Cell l) => Dist.Bernoulli(p: Logistic(level(l) + slope(l) * profile(i)));
    [Observed] public int count(Gene i, Cell l) => Dist.Multinomial(over: i, p: profile(i) * on(i, l) / Sum((Gene n) => profile(n) * on(n, l)));
}
