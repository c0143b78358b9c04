using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Random;
using Dsl.Runtime.Variational;
using Dsl.Tests.Shared;
using Xunit;

namespace Dsl.Models.Tests.Variational;

/// <summary>The generated gradients of the bundled scVI variants and the test variants against finite differences (see <see cref="VariationalGradientCheck"/>).</summary>
public class GradientCheckTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ScviGradientsMatchFiniteDifferences(bool training) => Check(new Scvi.Scvi.Variational<double>(SmallScvi(new Scvi.Scvi()), seed: 3), training);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ScviNegativeBinomialGradientsMatchFiniteDifferences(bool training) =>
        Check(new ScviNb.Variational<double>(SmallScvi(new ScviNb()), seed: 3), training);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ScviPoissonGradientsMatchFiniteDifferences(bool training) =>
        Check(new ScviPoisson.Variational<double>(SmallScvi(new ScviPoisson()), seed: 3), training);

    /// <summary>Ten cells, six genes, three latent dimensions and two batches of one of the bundled scVI variants.</summary>
    private static T SmallScvi<T>(T model) where T : Dsl.Runtime.Models.IDeclaredModel
    {
        foreach (var (plate, size) in new[] { ("Cell", 10), ("Gene", 6), ("Dim", 3), ("Batch", 2) }) model.SetPlateSize(plate, size);
        model.StoreCounts("x", RandomCounts(10, 6, seed: 1));
        model.Store("s", Enumerable.Range(0, 10).Select(n => (double)(n % 2)).ToArray());
        model.Store("libraryLogMean", [2.0, 2.5]);
        model.Store("libraryLogVar", [0.3, 0.5]);
        return model;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchDispersionVariantGradientsMatchFiniteDifferences(bool training)
    {
        var model = new BatchDispersionVae { CellCount = 9, GeneCount = 5, DimCount = 2, BatchCount = 3 };
        model.xCounts = RandomCounts(9, 5, seed: 2);
        model.sValues = Enumerable.Range(0, 9).Select(n => n % 3).ToArray();
        model.logDepthValues = Enumerable.Range(0, 9).Select(n => 1.5 + 0.1 * n).ToArray();
        Check(new BatchDispersionVae.Variational<double>(model, seed: 4), training);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PoissonOffsetVariantGradientsMatchFiniteDifferences(bool training)
    {
        var model = new PoissonOffsetVae { CellCount = 8, GeneCount = 4, DimCount = 2 };
        model.xCounts = RandomCounts(8, 4, seed: 3);
        Check(new PoissonOffsetVae.Variational<double>(model, seed: 5), training);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LinearNetworkGradientsMatchFiniteDifferences(bool training)
    {
        var model = new LinearVae { CellCount = 8, GeneCount = 5, DimCount = 2, BatchCount = 2 };
        model.xCounts = RandomCounts(8, 5, seed: 6);
        model.sValues = Enumerable.Range(0, 8).Select(n => n % 2).ToArray();
        model.depthValues = Enumerable.Range(0, 8).Select(n => 5.0 + n).ToArray();
        Check(new LinearVae.Variational<double>(model, seed: 6), training);
    }

    /// <summary>A dispersion both plates' likelihoods read is one array: its gradient is the sum of the two parts'.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TwoPlateGradientsMatchFiniteDifferences(bool training)
    {
        var model = new TwoPlateVae { CellACount = 7, CellBCount = 6, GeneCount = 5, DimCount = 2, BatchCount = 2 };
        model.xACounts = RandomCounts(7, 5, seed: 7);
        model.xBCounts = RandomCounts(6, 5, seed: 8);
        model.batchOfValues = Enumerable.Range(0, 7).Select(n => n % 2).ToArray();
        model.depthAValues = Enumerable.Range(0, 7).Select(n => 4.0 + n).ToArray();
        model.depthBValues = Enumerable.Range(0, 6).Select(n => 9.0 - n).ToArray();
        var family = model.CreateJointVariational<double>(seed: 8);
        Assert.Single(family.Parameters.Trainable, p => p.Name == "theta");
        Check(family, training);
    }

    internal static CountMatrix RandomCounts(int cells, int genes, ulong seed)
    {
        var random = new RandomStream(seed, 9);
        var dense = new double[cells, genes];
        for (var n = 0; n < cells; n++)
            for (var g = 0; g < genes; g++)
                dense[n, g] = random.NextDouble() < 0.4 ? 0 : Math.Floor(-Math.Log(random.NextDouble()) * (3 + g));
        for (var n = 0; n < cells; n++) dense[n, 0] += 1; // no empty cell
        return CountMatrix.FromDense(dense, Enumerable.Range(0, cells).Select(n => $"c{n}").ToArray(), Enumerable.Range(0, genes).Select(g => $"g{g}").ToArray());
    }

    private static void Check(IVariationalModel<double> model, bool training) => Assert.True(VariationalGradientCheck.Check(model, training) > 10);
}
