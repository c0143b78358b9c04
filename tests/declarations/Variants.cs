using Dsl;
using static Dsl.Fn;

namespace Variants;

// Everyday one-edit variants of the bundled models, as users write them: other likelihoods, covariates, extra
// observations, other links, hierarchies. The tests fit each on data simulated from it and differentiate the
// generated gradients of those variational inference fits (tests/Dsl.Cli.Tests/Variants).

/// A Gaussian VAE on log-normalised expression: continuous observations, a per-gene noise sd.
[PlateModel("Gaussian VAE on log-normalised expression")]
public partial class GaussianVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Param, Positive] public partial double sigma(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(y) }, Hidden = 16)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16)]
    public partial double mu(Cell n, Gene g);

    [Observed] public double y(Cell n, Gene g) => Dist.Normal(mu(n, g), sigma(g));
}

/// GaussianVae with one noise sd for every gene: the override leaves the base's per-gene sigma unread (DSL0304 says
/// so: the base declares it), and variational inference fits the rest without it.
[PlateModel("Gaussian VAE with one noise sd", Extends = typeof(GaussianVae))]
public partial class SharedNoiseVae
{
    [Param, Positive] public partial double noise();

    [Observed] public double y(Cell n, Gene g) => Dist.Normal(mu(n, g), noise());
}

/// scVI's eqs 4-5 written out: each count's Poisson rate w has a Gamma prior around the decoded mean. No encoder is
/// declared for w, and none is needed: the generator integrates it out again (Derivation/GammaPoissonCollapse),
/// which leaves the negative binomial of NbTwinVae, fitted identically.
[PlateModel("Gamma-Poisson VAE")]
public partial class GammaPoissonVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Data] public partial double logDepth(Cell n);
    [Param, Positive] public partial double theta(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Latent] public double w(Cell n, Gene g) => Dist.Gamma(theta(g), theta(g) / (Exp(logDepth(n)) * rho(n, g)));
    [Observed] public int x(Cell n, Gene g) => Dist.Poisson(w(n, g));
}

/// GammaPoissonVae with the negative binomial written directly: the base's w is then read by nothing (DSL0309).
[PlateModel("NB twin of the Gamma-Poisson VAE", Extends = typeof(GammaPoissonVae))]
public partial class NbTwinVae
{
    [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(Exp(logDepth(n)) * rho(n, g), theta(g));
}

/// NB counts whose per-gene log dispersions share a Normal prior with a fitted mean and sd (empirical-Bayes shrinkage,
/// as DESeq2 shrinks dispersions toward a common trend): the global latents' prior reads parameters, and their KL
/// term sends its gradient back to them.
[PlateModel("NB VAE with dispersions shrunk toward a fitted prior")]
public partial class ShrunkDispersionVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Data] public partial double logDepth(Cell n);
    [Param] public partial double logThetaMean();
    [Param, Positive] public partial double logThetaSd();
    [Latent] public double logTheta(Gene g) => Dist.Normal(logThetaMean(), logThetaSd());

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(Exp(logDepth(n)) * rho(n, g), Exp(logTheta(g)));
}

/// NB counts from a VAE whose latent space has a Gaussian-mixture prior (VaDE; scVI with a mixture prior): each cell's
/// cluster is a Categorical latent with fitted shares, its centre a parameter per cluster and dimension. The cluster
/// is summed out of the prior (Emit/MixtureKlEmitter), whose KL term is estimated from the encoder's sample.
[PlateModel("NB VAE with a Gaussian-mixture prior")]
public partial class MixturePriorVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }
    [Plate(Size = 3)] public partial struct Cluster { }

    [Data] public partial double logDepth(Cell n);
    [Param, Positive] public partial double theta(Gene g);
    [Param, Simplex(nameof(Cluster))] public partial double share(Cluster k);
    [Param] public partial double centre(Cluster k, Dim d);

    [Latent] public Cluster cluster(Cell n) => Dist.Categorical((Cluster k) => share(k));

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(centre(cluster(n), d), 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(Exp(logDepth(n)) * rho(n, g), theta(g));
}

/// MixturePriorVae with the clusters' shares a softmax of free logits (the base's simplex is then unread, DSL0304).
[PlateModel("NB VAE with a Gaussian-mixture prior, shares by logits", Extends = typeof(MixturePriorVae))]
public partial class MixtureLogitPriorVae
{
    [Param] public partial double clusterLogit(Cluster k);

    [Latent] public Cluster cluster(Cell n) => Dist.Categorical(logit: (Cluster k) => clusterLogit(k));
}

/// scVI's negative binomial with the percent of mitochondrial reads fed to encoder and decoder.
[PlateModel("NB VAE with a continuous covariate")]
public partial class MitoCovariateVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }
    [Plate] public partial struct Batch { }

    [Data] public partial Batch s(Cell n);
    [Data] public partial double mito(Cell n);
    [Data] public partial double logDepth(Cell n);
    [Param, Positive] public partial double theta(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x), nameof(mito), nameof(s) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z), nameof(mito), nameof(s) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean: Exp(logDepth(n)) * rho(n, g), inverseDispersion: theta(g));
}

/// Detection (0/1) of each gene in each cell on a logit link from a decoder.
[PlateModel("Bernoulli VAE of detection")]
public partial class DetectionVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Param] public partial double bias(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(detected) }, Hidden = 16)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16)]
    public partial double score(Cell n, Gene g);

    [Observed] public int detected(Cell n, Gene g) => Dist.Bernoulli(logit: score(n, g) + bias(g));
}

/// RNA and protein counts of the same cells sharing one latent, each with its own decoder (totalVI's shape).
[PlateModel("two-modality VAE")]
public partial class TwoModalityVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Protein { }
    [Plate] public partial struct Dim { }

    [Param, Positive] public partial double geneTheta(Gene g);
    [Param, Positive] public partial double proteinTheta(Protein p);

    [Latent, Encoder(Inputs = new[] { nameof(rna), nameof(adt) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Latent, Encoder(Inputs = new[] { nameof(rna) }, Hidden = 8, Transform = InputTransform.Log1p)]
    public double library(Cell n) => Dist.LogNormal(3, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Exp)]
    public partial double proteinRate(Cell n, Protein p);

    [Observed] public int rna(Cell n, Gene g) => Dist.NegativeBinomial(mean: library(n) * rho(n, g), inverseDispersion: geneTheta(g));
    [Observed] public int adt(Cell n, Protein p) => Dist.NegativeBinomial(mean: proteinRate(n, p), inverseDispersion: proteinTheta(p));
}

/// A per-cell size readout (log total counts, measured with known noise) beside Poisson counts, both from one latent depth.
[PlateModel("Poisson VAE with a per-cell readout")]
public partial class CellReadoutVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 8, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Latent, Encoder(Inputs = new[] { nameof(x), nameof(logSize) }, Hidden = 8, Transform = InputTransform.Log1p)]
    public double depth(Cell n) => Dist.Normal(2, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 8, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.Poisson(Exp(depth(n)) * rho(n, g));
    [Observed] public double logSize(Cell n) => Dist.Normal(depth(n), 0.2);
}

/// Positive continuous expression (e.g. TPM) with log-normal noise around a decoder's log-mean.
[PlateModel("log-normal VAE")]
public partial class LogNormalVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Param, Positive] public partial double logSd(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(tpm) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16)]
    public partial double logMean(Cell n, Gene g);

    [Observed] public double tpm(Cell n, Gene g) => Dist.LogNormal(logMean(n, g), logSd(g));
}

/// Spliced reads out of known totals per cell and gene (a Binomial on a logit link), e.g. splicing or allele counts.
[PlateModel("binomial VAE of read fractions")]
public partial class FractionVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Data] public partial int total(Cell n, Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(spliced) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16)]
    public partial double logit(Cell n, Gene g);

    [Observed] public int spliced(Cell n, Gene g) => Dist.Binomial(total(n, g), logit: logit(n, g));
}

/// The Gaussian VAE with its per-gene noise sd given a log-normal prior whose centre is itself unknown: global
/// latents without an encoder, fitted by a mean-field Gaussian guide (ADVI) beside the amortised one.
[PlateModel("Gaussian VAE with shrunken noise")]
public partial class ShrunkNoiseVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Latent] public double noiseCentre() => Dist.Normal(0, 1);
    [Latent] public double sigma(Gene g) => Dist.LogNormal(noiseCentre(), 0.5);

    [Latent, Encoder(Inputs = new[] { nameof(y) }, Hidden = 16)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16)]
    public partial double mu(Cell n, Gene g);

    [Observed] public double y(Cell n, Gene g) => Dist.Normal(mu(n, g), sigma(g));
}

/// scVI's zero-inflated counts with a Gamma prior on each gene's dispersion and a Beta prior on its dropout rate.
[PlateModel("ZINB VAE with priors on dispersion and dropout")]
public partial class DispersionPriorVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Data] public partial double logDepth(Cell n);
    [Latent] public double theta(Gene g) => Dist.Gamma(2, 0.5);
    [Latent] public double dropout(Gene g) => Dist.Beta(1, 4);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed]
    public int x(Cell n, Gene g) => Dist.ZeroInflatedNegativeBinomial(mean: Exp(logDepth(n)) * rho(n, g), inverseDispersion: theta(g),
        zeroLogit: Log(dropout(g)) - Log(1 - dropout(g)));
}

/// DispersionPriorVae's Gamma prior on the dispersions kept, but the dispersions point estimates rather than latents: a
/// [Param] with a prior is a MAP estimate, its log prior added to the objective. The prior's rate is itself a fitted
/// parameter (read by that prior only), a per-gene offset the softmax could absorb is held near 0 by its Normal prior,
/// and an ambient profile (AmbientVae's) gets pseudo-counts from a Dirichlet prior over its simplex.
[PlateModel("NB VAE with MAP dispersions under a fitted Gamma prior")]
public partial class MapDispersionVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Data] public partial double logDepth(Cell n);
    [Param, Positive] public partial double thetaRate();
    [Param, Positive] public double theta(Gene g) => Dist.Gamma(2, thetaRate());
    [Param] public double offset(Gene g) => Dist.Normal(0, 0.5);
    [Param, Simplex(nameof(Gene))] public double ambient(Gene g) => Dist.Dirichlet(over: g, 3);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean: Exp(logDepth(n) + offset(g)) * (0.9 * rho(n, g) + 0.1 * ambient(g)), inverseDispersion: theta(g));
}

/// scVI's counts beside each cell's annotated type, predicted from the latent by a classifier network (the shape
/// of scANVI's labelled cells): a Categorical observation on a softmax of logits across the type plate.
[PlateModel("NB VAE with cell-type labels")]
public partial class LabelledVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }
    [Plate] public partial struct CellType { }

    [Data] public partial double logDepth(Cell n);
    [Param, Positive] public partial double theta(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 8)]
    public partial double typeScore(Cell n, CellType t);

    [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean: Exp(logDepth(n)) * rho(n, g), inverseDispersion: theta(g));
    [Observed] public CellType label(Cell n) => Dist.Categorical(logit: (CellType t) => typeScore(n, t));
}

/// Positive continuous expression with Gamma noise: a per-gene shape, the decoder's positive output as the mean.
[PlateModel("Gamma VAE")]
public partial class GammaVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Param, Positive] public partial double shape(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(level) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softplus)]
    public partial double mean(Cell n, Gene g);

    [Observed] public double level(Cell n, Gene g) => Dist.Gamma(shape(g), shape(g) / mean(n, g));
}

/// Methylation fractions per cell and CpG region: Beta noise around a logistic decoder, a per-region concentration.
[PlateModel("Beta VAE of methylation fractions")]
public partial class MethylationVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Region { }
    [Plate] public partial struct Dim { }

    [Param, Positive] public partial double concentration(Region r);

    [Latent, Encoder(Inputs = new[] { nameof(fraction) }, Hidden = 16)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16)]
    public partial double logit(Cell n, Region r);

    [Observed]
    public double fraction(Cell n, Region r) => Dist.Beta(concentration(r) * Logistic(logit(n, r)), concentration(r) * (1 - Logistic(logit(n, r))));
}

/// scVI's NB with cell-cycle scores (a matrix of covariates per cell) fed to the decoder, so z need not hold them.
[PlateModel("NB VAE with cell-cycle covariates")]
public partial class CellCycleVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }
    [Plate] public partial struct Phase { }

    [Data] public partial double phaseScore(Cell n, Phase p);
    [Data] public partial double logDepth(Cell n);
    [Param, Positive] public partial double theta(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z), nameof(phaseScore) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean: Exp(logDepth(n)) * rho(n, g), inverseDispersion: theta(g));
}

/// scVI's NB with the library-size prior learned per batch instead of computed from the data: the encoded latent's
/// prior reads fitted parameters.
[PlateModel("NB VAE with a learned library prior")]
public partial class LearnedLibraryVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }
    [Plate] public partial struct Batch { }

    [Data] public partial Batch s(Cell n);
    [Param] public partial double libraryLogMean(Batch b);
    [Param, Positive] public partial double libraryLogSd(Batch b);
    [Param, Positive] public partial double theta(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x), nameof(s) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Latent, Encoder(Inputs = new[] { nameof(x), nameof(s) }, Hidden = 16, Transform = InputTransform.Log1p, KlWarmup = false)]
    public double library(Cell n) => Dist.LogNormal(libraryLogMean(s(n)), libraryLogSd(s(n)));

    [Network(Inputs = new[] { nameof(z), nameof(s) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean: library(n) * rho(n, g), inverseDispersion: theta(g));
}

/// scVI's decoder with a multinomial likelihood: each cell's counts one draw over the genes, the library size given by
/// the counts themselves.
[PlateModel("multinomial VAE")]
public partial class MultinomialVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.Multinomial(over: g, p: rho(n, g));
}

/// Cell-type proportions per spatial spot (a deconvolution's output) as Dirichlet rows around a decoder's mixture.
[PlateModel("Dirichlet VAE of spot compositions")]
public partial class CompositionVae
{
    [Plate] public partial struct Spot { }
    [Plate] public partial struct CellType { }
    [Plate] public partial struct Dim { }

    [Param, Positive] public partial double concentration();

    [Latent, Encoder(Inputs = new[] { nameof(share) }, Hidden = 16)]
    public double z(Spot n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double mix(Spot n, CellType t);

    [Observed] public double share(Spot n, CellType t) => Dist.Dirichlet(over: t, concentration() * mix(n, t));
}

/// scVI's NB with a per-gene effect of a covariate on the log mean (the covariate in the likelihood rather than the
/// networks), and a per-cell score (e.g. a pseudotime from another tool) read as the first latent dimension plus noise.
[PlateModel("NB VAE with a covariate effect and an anchored latent dimension")]
public partial class CovariateEffectVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Data] public partial double mito(Cell n);
    [Data] public partial double logDepth(Cell n);
    [Param] public partial double mitoEffect(Gene g);
    [Param, Positive] public partial double theta(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x), nameof(score) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed]
    public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean: Exp(logDepth(n) + mitoEffect(g) * mito(n)) * rho(n, g), inverseDispersion: theta(g));

    [Observed] public double score(Cell n) => Dist.Normal(z(n, new Dim(0)), 0.3);
}

/// A Gamma-Poisson hierarchy in a VAE: each cell's size factor has a Gamma prior, and the latent coordinates a
/// heavy-tailed Student-t one; both get encoders, their KL terms estimated from the reparameterised draws.
[PlateModel("Poisson VAE with a Gamma size factor and Student-t latents")]
public partial class GammaSizeVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.StudentT(4, 0, 1);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 8, Transform = InputTransform.Log1p, KlWarmup = false)]
    public double size(Cell n) => Dist.Gamma(4, 0.02);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.Poisson(size(n) * rho(n, g));
}

/// Ambient RNA: each cell's NB counts mix its decoded expression with a profile shared by all droplets, a simplex
/// over genes fitted beside the networks (as CellBender and SoupX model the soup).
[PlateModel("NB VAE with an ambient profile")]
public partial class AmbientVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Data] public partial double logDepth(Cell n);
    [Param, Positive] public partial double theta(Gene g);
    [Param, Simplex(nameof(Gene))] public partial double ambient(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean: Exp(logDepth(n)) * (0.9 * rho(n, g) + 0.1 * ambient(g)), inverseDispersion: theta(g));
}

/// GaussianVae with heavier tails: the one-edit variant written as one: it extends the Gaussian VAE and declares only
/// the observation it changes, a Student-t with 4 degrees of freedom.
[PlateModel("Student-t VAE, extending the Gaussian one", Extends = typeof(GaussianVae))]
public partial class StudentTVae
{
    [Observed] public double y(Cell n, Gene g) => Dist.StudentT(4, mu(n, g), sigma(g));
}
