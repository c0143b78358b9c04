using static Dsl.Fn;

namespace Dsl.Models.Tests.Variational;

/// <summary>
/// A user's variant of scVI: negative binomial counts with a dispersion per gene and batch, no zero inflation,
/// and a fixed depth read from data instead of a library latent. Fitted by the same generator rules as scVI.
/// </summary>
[PlateModel("negative binomial VAE with batch-specific dispersion")]
public partial class BatchDispersionVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }
    [Plate] public partial struct Batch { }

    [Data] public partial Batch s(Cell n);
    [Data] public partial double logDepth(Cell n);
    [Param, Positive] public partial double theta(Gene g, Batch b);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 16, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z), nameof(s) }, Hidden = 16, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed]
    public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean: Exp(logDepth(n)) * rho(n, g), inverseDispersion: theta(g, s(n)));
}

/// <summary>Poisson counts whose log-rate adds a per-gene offset to a network output: exercises Exp and sums in the chain rule.</summary>
[PlateModel("Poisson VAE with a gene offset")]
public partial class PoissonOffsetVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }

    [Param] public partial double offset(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 8, Layers = 2, Dropout = 0.2, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 2);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 8, BatchNorm = false, Transform = InputTransform.Log1p)]
    public double scale(Cell n) => Dist.LogNormal(1, 0.5);

    [Network(Inputs = new[] { nameof(z), nameof(scale) }, Hidden = 8, Layers = 2)]
    public partial double logRate(Cell n, Gene g);

    [Observed]
    public int x(Cell n, Gene g) => Dist.Poisson(scale(n) * Exp(logRate(n, g) + offset(g)));
}

/// <summary>
/// Poisson counts scaled by one log-normal latent per cell and no network: the marginal p(x_n) is a one-dimensional
/// integral, so importance-sampling estimates can be checked against quadrature.
/// </summary>
[PlateModel("Poisson counts with a log-normal cell scale")]
public partial class PoissonScaleModel
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }

    [Param, Positive] public partial double rate(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 4, BatchNorm = false, Transform = InputTransform.Log1p)]
    public double scale(Cell n) => Dist.LogNormal(0.5, 0.7);

    [Observed]
    public int x(Cell n, Gene g) => Dist.Poisson(scale(n) * rate(g));
}

/// <summary>
/// A linear decoder (no hidden layer, scvi-tools' LDVAE and gimVI decoders) reading the latent and a one-hot batch, and
/// a linear encoder: exercises networks of zero hidden layers, their one-hot block and their input gradient.
/// </summary>
[PlateModel("Poisson VAE with linear encoder and decoder")]
public partial class LinearVae
{
    [Plate] public partial struct Cell { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }
    [Plate] public partial struct Batch { }

    [Data] public partial Batch s(Cell n);
    [Data] public partial double depth(Cell n);

    [Latent, Encoder(Inputs = new[] { nameof(x) }, Layers = 0, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(z), nameof(s) }, Layers = 0, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    [Observed]
    public int x(Cell n, Gene g) => Dist.Poisson(depth(n) * rho(n, g));
}

/// <summary>
/// Two cell plates that share a decoder and a per-gene dispersion read by both likelihoods, one plate with a batch
/// covariate in its encoder, and each plate's own library offset: the general shape of a multi-plate model
/// (not gimVI's), for the joint family's shared parameters and gradient accumulation.
/// </summary>
[PlateModel("two cell plates sharing a decoder and dispersions")]
public partial class TwoPlateVae
{
    [Plate] public partial struct CellA { }
    [Plate] public partial struct CellB { }
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Dim { }
    [Plate] public partial struct Batch { }

    [Data] public partial Batch batchOf(CellA n);
    [Data] public partial double depthA(CellA n);
    [Data] public partial double depthB(CellB m);
    [Param, Positive] public partial double theta(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(xA), nameof(batchOf) }, Hidden = 8, Transform = InputTransform.Log1p)]
    public double zA(CellA n, Dim d) => Dist.Normal(0, 1);

    [Latent, Encoder(Inputs = new[] { nameof(xB) }, Hidden = 8, Transform = InputTransform.Log1p)]
    public double zB(CellB m, Dim d) => Dist.Normal(0, 1);

    [Network(Inputs = new[] { nameof(zA) }, Hidden = 8, Output = Activation.Softmax)]
    public partial double rhoA(CellA n, Gene g);

    [Network(Inputs = new[] { nameof(zB) }, Hidden = 8, Output = Activation.Softmax, SharesWeightsWith = nameof(rhoA))]
    public partial double rhoB(CellB m, Gene g);

    [Observed]
    public int xA(CellA n, Gene g) => Dist.NegativeBinomial(mean: depthA(n) * rhoA(n, g), inverseDispersion: theta(g));

    [Observed]
    public int xB(CellB m, Gene g) => Dist.NegativeBinomial(mean: depthB(m) * rhoB(m, g), inverseDispersion: theta(g));
}
