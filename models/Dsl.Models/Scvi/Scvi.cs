using Dsl;

namespace Dsl.Models.Scvi;

/// <summary>
/// scVI (Lopez et al. 2018, eqs 1-7 and Methods 4.1): a latent cell state z and a library-size factor l generate
/// zero-inflated negative binomial counts through neural networks, conditioned on the batch.
/// </summary>
[PlateModel("single-cell variational inference")]
public partial class Scvi
{
    [Plate("cells, n = 1..N")] public partial struct Cell { }
    [Plate("genes, g = 1..G")] public partial struct Gene { }
    [Plate("latent dimensions, d = 1..10")] public partial struct Dim { }
    [Plate("batches, b = 1..B")] public partial struct Batch { }

    /// <summary>s_n: the batch of each cell, one-hot into the encoders and decoders.</summary>
    [Data] public partial Batch s(Cell n);

    /// <summary>l_mu, l_sigma: empirical mean and variance of the log-library size per batch (Methods 4.1).</summary>
    [Data] public partial double libraryLogMean(Batch b);
    [Data] public partial double libraryLogVar(Batch b);

    /// <summary>theta_g: gene-wise inverse dispersion.</summary>
    [Param, Positive] public partial double theta(Gene g);

    // z_n ~ Normal(0, I), with the amortised posterior q(z_n | x_n, s_n).
    [Latent, Encoder(Inputs = new[] { nameof(x), nameof(s) }, Hidden = 128, Layers = 1, Dropout = 0.1, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    // l_n ~ LogNormal(l_mu[s_n], l_sigma[s_n]^2), with q(l_n | x_n, s_n); its KL is not warmed up, as in scvi-tools.
    [Latent, Encoder(Inputs = new[] { nameof(x), nameof(s) }, Hidden = 128, Layers = 1, Dropout = 0.1, Transform = InputTransform.Log1p, KlWarmup = false)]
    public double l(Cell n) => Dist.LogNormal(libraryLogMean(s(n)), Fn.Sqrt(libraryLogVar(s(n))));

    // rho_n = f_w(z_n, s_n): softmax over genes, the expected frequencies. Dropout only in the encoders, as in scvi-tools.
    [Network(Inputs = new[] { nameof(z), nameof(s) }, Hidden = 128, Layers = 1, Dropout = 0, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    // f_h(z_n, s_n): logits of the zero-inflation (dropout) probability; shares its hidden layer with f_w, as in the paper.
    [Network(Inputs = new[] { nameof(z), nameof(s) }, Hidden = 128, Layers = 1, Dropout = 0, Output = Activation.Identity,
        SharesHiddenLayersWith = nameof(rho))]
    public partial double dropoutLogit(Cell n, Gene g);

    // x_ng ~ ZINB(l_n rho_ng, theta_g, f_h): eqs 4-7 with the Gamma-Poisson integrated out.
    [Observed]
    public int x(Cell n, Gene g) =>
        Dist.ZeroInflatedNegativeBinomial(mean: l(n) * rho(n, g), inverseDispersion: theta(g), zeroLogit: dropoutLogit(n, g));
}
