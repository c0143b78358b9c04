using Dsl;
using static Dsl.Fn;

namespace Dsl.Models.DeepMc;

/// <summary>
/// deepMc with one layer (eqs 1-7 of the paper, models/Dsl.Models/DeepMc/README.md): where it was measured (non-zero),
/// the log expression of gene g in cell c is the product of the gene's basis row and the cell's coefficients, with
/// unit Gaussian noise, so the fit minimises ½‖Y − M∘(D₁Z)‖²_F; dropouts (zeros) are missing, and the fit predicts
/// them. Each factor's standard normal prior adds the ridge penalty ½‖D₁‖²_F + ½‖Z‖²_F (a MAP estimate), which the
/// paper's eq. 7 does not have: without it a gene measured in a few cells is fitted exactly and extrapolated wildly
/// (the README's table). Dropping the priors gives eq. 7 itself.
/// </summary>
[PlateModel("deepMc: deep matrix completion, one layer")]
public partial class DeepMc1
{
    [Plate("cells")] public partial struct Cell { }
    [Plate("genes")] public partial struct Gene { }
    [Plate("the coefficients' rank")] public partial struct Rank { }

    /// <summary>D₁, the gene basis.</summary>
    [Param] public double basis1(Gene g, Rank k) => Dist.Normal(0, 1);

    /// <summary>Z, the cells' coefficients.</summary>
    [Param] public double coefficient(Rank k, Cell c) => Dist.Normal(0, 1);

    [Observed, ZerosMissing] public double expression(Cell c, Gene g) => Dist.Normal(Sum((Rank k) => basis1(g, k) * coefficient(k, c)), 1);
}
