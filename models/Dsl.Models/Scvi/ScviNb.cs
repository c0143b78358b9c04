using Dsl;

namespace Dsl.Models.Scvi;

/// <summary>
/// scVI with negative binomial counts (`dsl fit scvi --likelihood nb`): the model of <see cref="Scvi"/> without the
/// zero-inflation network, for data whose zeros the Gamma-Poisson alone explains (Methods 4.1, Appendix B).
/// </summary>
[PlateModel("single-cell variational inference, negative binomial counts")]
public partial class ScviNb
{
    [Plate("cells, n = 1..N")] public partial struct Cell { }
    [Plate("genes, g = 1..G")] public partial struct Gene { }
    [Plate("latent dimensions, d = 1..10")] public partial struct Dim { }
    [Plate("batches, b = 1..B")] public partial struct Batch { }

    [Data] public partial Batch s(Cell n);
    [Data] public partial double libraryLogMean(Batch b);
    [Data] public partial double libraryLogVar(Batch b);

    /// <summary>theta_g: gene-wise inverse dispersion.</summary>
    [Param, Positive] public partial double theta(Gene g);

    [Latent, Encoder(Inputs = new[] { nameof(x), nameof(s) }, Hidden = 128, Layers = 1, Dropout = 0.1, Transform = InputTransform.Log1p)]
    public double z(Cell n, Dim d) => Dist.Normal(0, 1);

    [Latent, Encoder(Inputs = new[] { nameof(x), nameof(s) }, Hidden = 128, Layers = 1, Dropout = 0.1, Transform = InputTransform.Log1p, KlWarmup = false)]
    public double l(Cell n) => Dist.LogNormal(libraryLogMean(s(n)), Fn.Sqrt(libraryLogVar(s(n))));

    [Network(Inputs = new[] { nameof(z), nameof(s) }, Hidden = 128, Layers = 1, Dropout = 0, Output = Activation.Softmax)]
    public partial double rho(Cell n, Gene g);

    // x_ng ~ NB(l_n rho_ng, theta_g): eqs 4-5 with the Gamma-Poisson integrated out.
    [Observed]
    public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean: l(n) * rho(n, g), inverseDispersion: theta(g));
}
