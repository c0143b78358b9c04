using Dsl;

namespace Examples;

/// <summary>
/// A small hierarchical count model: each gene's expression rate is drawn from a Gamma whose shape and mean are
/// unknown and shared by all genes, and its counts in each sample are Poisson with the sample's sequencing depth as
/// exposure. The hierarchy shrinks rates of genes seen rarely towards the genes' common level.
/// </summary>
[PlateModel("Gamma-Poisson rates with exposures and an unknown hyperprior")]
public partial class GeneRates
{
    [Plate] public partial struct Gene { }
    [Plate] public partial struct Sample { }

    [Data] public partial double depth(Sample s);

    [Latent] public double shape() => Dist.Gamma(2, 1);
    [Latent] public double meanRate() => Dist.LogNormal(0, 2);
    [Latent] public double rate(Gene g) => Dist.Gamma(shape(), shape() / meanRate());
    [Observed] public int y(Gene g, Sample s) => Dist.Poisson(depth(s) * rate(g));
}
