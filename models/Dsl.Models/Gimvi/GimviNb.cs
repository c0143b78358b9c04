using Dsl;
using static Dsl.Fn;

namespace Dsl.Models.Gimvi;

/// <summary>
/// gimVI with negative-binomial spatial counts (scvi-tools' default for the spatial set): eq 6 with a dispersion per
/// spatial gene, for assays whose counts are overdispersed (MERFISH, osmFISH, Visium spots).
/// </summary>
[PlateModel("gimVI with negative-binomial spatial counts", Extends = typeof(Gimvi))]
public partial class GimviNb
{
    [Param, Positive] public partial double thetaSpatial(SpatialGene g);

    // x'_ng' ~ NB(l'_n rho'_ng', theta'_g').
    [Observed]
    public int xSpatial(SpatialCell m, SpatialGene g) =>
        Dist.NegativeBinomial(mean: spatialLibrary(m) * rhoPrime(m, g), inverseDispersion: thetaSpatial(g));
}
