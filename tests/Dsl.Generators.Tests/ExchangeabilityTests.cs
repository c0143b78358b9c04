using Dsl.Generators.Derivation;

namespace Dsl.Generators.Tests;

/// <summary>Which plates a declaration cannot tell apart, so the samplers align their labels.</summary>
public sealed class ExchangeabilityTests
{
    private static IReadOnlyList<string> Exchangeable(string members) => Exchangeability.Plates(ModelPipeline.RunOnSource($$"""
        using Dsl;
        using static Dsl.Fn;
        namespace T;
        [PlateModel]
        public partial class M
        {
            [Plate] public partial struct Point { }
            [Plate(Size = 3)] public partial struct Component { }
            [Latent] public double weight(Component k) => Dist.Dirichlet(over: k, 1);
            [Latent] public Component z(Point n) => Dist.Categorical((Component k) => weight(k));
            {{members}}
        }
        """, "M.cs").Single().Spec!);

    [Fact]
    public void IdenticalPriorsOverComponents_ReadThroughAnAllocation_AreExchangeable() =>
        Assert.Equal(["Component"], Exchangeable("""
            [Latent] public double centre(Component k) => Dist.Normal(0, 10);
            [Observed] public double y(Point n) => Dist.Normal(centre(z(n)), 1);
            """));

    /// <summary>Part's simplex is symmetric in its prior, but no allocation takes Part's entries as values: one mode, nothing to align.</summary>
    [Fact]
    public void APlateSymmetricOnlyInItsPrior_IsNotAligned() =>
        Assert.Equal(["Component"], Exchangeable("""
            [Plate(Size = 4)] public partial struct Part { }
            [Latent] public double share(Part p) => Dist.Dirichlet(over: p, 1.5);
            [Latent] public double centre(Component k) => Dist.Normal(0, 10);
            [Observed] public double y(Point n) => Dist.Normal(centre(z(n)), 1);
            """));

    /// <summary>A factor model: the counts see only Σ_k w(g, k)·h(c, k), so the factors can be relabelled together.</summary>
    [Fact]
    public void FactorsSummedOverAPlate_AreExchangeable() =>
        Assert.Contains("Factor", Exchangeable("""
            [Plate] public partial struct Gene { }
            [Plate(Size = 2)] public partial struct Factor { }
            [Latent] public double w(Gene g, Factor f) => Dist.Gamma(1, 1);
            [Latent] public double h(Point n, Factor f) => Dist.Gamma(1, 1);
            [Observed] public int y(Point n, Gene g) => Dist.Poisson(Sum((Factor f) => w(g, f) * h(n, f)));
            """));

    /// <summary>One latent per entry in the sum, beside known covariates (a regression): the covariates tell the entries apart.</summary>
    [Fact]
    public void ASumOfOneLatentTimesData_IsNotAligned() =>
        Assert.DoesNotContain("Feature", Exchangeable("""
            [Plate(Size = 2)] public partial struct Feature { }
            [Data] public partial double x(Point n, Feature f);
            [Latent] public double b(Feature f) => Dist.Normal(0, 1);
            [Observed] public double y(Point n) => Dist.Normal(Sum((Feature f) => x(n, f) * b(f)), 1);
            """));

    [Theory]
    [InlineData("[Latent, Ordered] public double centre(Component k) => Dist.Normal(0, 10); [Observed] public double y(Point n) => Dist.Normal(centre(z(n)), 1);")]
    [InlineData("[Data] public partial double location(Component k); [Observed] public double y(Point n) => Dist.Normal(location(z(n)), 1);")]
    [InlineData("[Latent] public double centre(Component k) => Dist.Normal(0, 10); [Observed] public double y(Point n) => Dist.Normal(centre(z(n)) + centre(new Component(0)), 1);")]
    [InlineData("[Latent] public double centre(Component k) => Dist.Normal(0, 10); [Observed] public double y(Point n) => Dist.Normal(centre(z(n)), 1); [Observed] public Component label(Point n) => Dist.Categorical((Component k) => weight(k));")]
    [InlineData("[Param] public partial double centre(Component k); [Observed] public double y(Point n) => Dist.Normal(centre(z(n)), 1);")]
    public void AnOrder_ADatumOrAFixedEntry_TellsTheComponentsApart(string members) => Assert.Empty(Exchangeable(members));
}
