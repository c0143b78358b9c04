using Dsl;
using static Dsl.Fn;

namespace Dsl.Models.Gimvi;

/// <summary>
/// gimVI (Lopez et al. 2019, eqs 1-6): scRNA-seq cells and spatial cells share a latent space and a decoder; the
/// spatial assay measures a subset of the genes, whose frequencies are renormalised over that subset.
/// </summary>
[PlateModel("joint model of scRNA-seq and spatial transcriptomics")]
public partial class Gimvi
{
    [Plate("scRNA-seq cells")] public partial struct SeqCell { }
    [Plate("spatial cells")] public partial struct SpatialCell { }
    [Plate("genes captured by scRNA-seq, G")] public partial struct Gene { }
    [Plate("genes captured by the spatial assay, G' (a subset of G)")] public partial struct SpatialGene { }
    [Plate("latent dimensions, d = 1..10")] public partial struct Dim { }

    /// <summary>Where each spatial gene sits among the scRNA-seq genes (G' inside G).</summary>
    [Data] public partial Gene geneOf(SpatialGene g);

    /// <summary>mu_n, sigma_n^2: empirical mean and variance of the scRNA-seq log-library size (eq 3).</summary>
    [Data] public partial double libraryLogMean();
    [Data] public partial double libraryLogVar();

    /// <summary>l'_n: observed transcripts of the spatial genes in each spatial cell (eq 6).</summary>
    [Data] public partial double spatialLibrary(SpatialCell m);

    [Param, Positive] public partial double theta(Gene g);

    // z_n ~ Normal(0, I) in both modalities (eq 1). The two encoders have a first layer each (their inputs differ) and
    // share the second and the output heads, as scvi-tools' MultiEncoder (64 hidden units, dropout 0.2).
    // A discriminator on z tells the modalities apart; the encoders pay kappa times its fooling loss (eq 10).
    [Latent, Encoder(Inputs = new[] { nameof(x) }, Transform = InputTransform.Log1p, Hidden = 64, Layers = 2, Dropout = 0.2, SharedLastLayer = "joint")]
    [Adversarial("modality", Kappa = 5)]
    public double z(SeqCell n, Dim d) => Dist.Normal(0, 1);

    [Latent, Encoder(Inputs = new[] { nameof(xSpatial) }, Transform = InputTransform.Log1p, Hidden = 64, Layers = 2, Dropout = 0.2, SharedLastLayer = "joint")]
    [Adversarial("modality", Kappa = 5)]
    public double zSpatial(SpatialCell m, Dim d) => Dist.Normal(0, 1);

    // l_n ~ LogNormal(mu, sigma^2) for scRNA-seq cells (eq 3). Its KL term is warmed up with z's, as scvi-tools' gimVI
    // does (scVI counts it in full from the start).
    [Latent, Encoder(Inputs = new[] { nameof(x) }, Transform = InputTransform.Log1p, Dropout = 0.2)]
    public double l(SeqCell n) => Dist.LogNormal(libraryLogMean(), Sqrt(libraryLogVar()));

    // rho_n = f_eta(z_n): one decoder, softmax over all genes (eq 2), applied to both modalities. scvi-tools' gimVI
    // decoder is linear in z. Here rho has one hidden layer of 256 and the zero-inflation logit is linear in z, as
    // scvi-tools' is: on real pseudo-spatial pairs of 40-135 cells, held-out genes were imputed better the wider rho
    // was (32, 128, 256, 512 units), 256 is the widest within the speed budget, and the linear zero-inflation pays
    // for it (README of this folder has the figures).
    [Network(Inputs = new[] { nameof(z) }, Output = Activation.Softmax, Hidden = 256)]
    public partial double rho(SeqCell n, Gene g);

    [Network(Inputs = new[] { nameof(zSpatial) }, Output = Activation.Softmax, Hidden = 256, SharesWeightsWith = nameof(rho))]
    public partial double rhoSpatial(SpatialCell m, Gene g);

    [Network(Inputs = new[] { nameof(z) }, Layers = 0)]
    public partial double dropoutLogit(SeqCell n, Gene g);

    // x_ng ~ ZINB(l_n rho_ng, theta_g, f_nu(z_n)) (eq 4).
    [Observed]
    public int x(SeqCell n, Gene g) =>
        Dist.ZeroInflatedNegativeBinomial(mean: l(n) * rho(n, g), inverseDispersion: theta(g), zeroLogit: dropoutLogit(n, g));

    // rho'_ng' = rho_ng' / sum over G' (eq 5); x'_ng' ~ Poisson(l'_n rho'_ng') for smFISH (eq 6).
    public double rhoPrime(SpatialCell m, SpatialGene g) =>
        rhoSpatial(m, geneOf(g)) / Sum((SpatialGene h) => rhoSpatial(m, geneOf(h)));

    [Observed]
    public int xSpatial(SpatialCell m, SpatialGene g) => Dist.Poisson(spatialLibrary(m) * rhoPrime(m, g));
}
