using Dsl;
using static Dsl.Fn;

namespace Dsl.Models.DeepMc;

/// <summary>deepMc with two layers of bases: Y = M∘(D₁D₂Z) (see DeepMc1 and the README).</summary>
[PlateModel("deepMc: deep matrix completion, two layers")]
public partial class DeepMc2
{
    [Plate("cells")] public partial struct Cell { }
    [Plate("genes")] public partial struct Gene { }
    [Plate("the first basis layer's width")] public partial struct Width1 { }
    [Plate("the coefficients' rank")] public partial struct Rank { }

    /// <summary>D₁, the gene basis.</summary>
    [Param] public double basis1(Gene g, Width1 a) => Dist.Normal(0, 1);

    /// <summary>D₂.</summary>
    [Param] public double basis2(Width1 a, Rank k) => Dist.Normal(0, 1);

    /// <summary>Z, the cells' coefficients.</summary>
    [Param] public double coefficient(Rank k, Cell c) => Dist.Normal(0, 1);

    [Observed, ZerosMissing] public double expression(Cell c, Gene g) =>
        Dist.Normal(Sum((Width1 a) => basis1(g, a) * Sum((Rank k) => basis2(a, k) * coefficient(k, c))), 1);
}
