using Dsl.Generators.Emit;

namespace Dsl.Generators.Tests;

/// <summary>
/// Derivation/GammaPoissonCollapse: a Gamma latent that one Poisson count reads as a factor of its rate, at its own
/// entry, is integrated out before variational inference plans the model, leaving a negative binomial of mean
/// e·a/b and inverse dispersion a. Where the rule does not match, the latent keeps its refusal, which names the rule.
/// </summary>
public sealed class GammaPoissonCollapseTests
{
    private const string Models = """
        using Dsl;

        namespace Examples;

        [PlateModel]
        public partial class Exposed
        {
            [Plate] public partial struct Cell { }
            [Plate] public partial struct Gene { }
            [Plate] public partial struct Dim { }

            [Data] public partial double exposure(Cell n);
            [Param, Positive] public partial double shape(Gene g);
            [Param, Positive] public partial double scale(Gene g);
            [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 8)]
            public double z(Cell n, Dim d) => Dist.Normal(0, 1);
            [Network(Inputs = new[] { nameof(z) }, Hidden = 8, Output = Activation.Softplus)]
            public partial double mu(Cell n, Gene g);
            [Latent] public double w(Cell n, Gene g) => Dist.Gamma(shape(g), scale(g) * mu(n, g));
            [Observed] public int x(Cell n, Gene g) => Dist.Poisson(exposure(n) * w(n, g));
        }

        [PlateModel]
        public partial class ReadTwice
        {
            [Plate] public partial struct Cell { }
            [Plate] public partial struct Gene { }
            [Plate] public partial struct Dim { }

            [Param, Positive] public partial double shape(Gene g);
            [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 8)]
            public double z(Cell n, Dim d) => Dist.Normal(0, 1);
            [Network(Inputs = new[] { nameof(z) }, Hidden = 8, Output = Activation.Softplus)]
            public partial double mu(Cell n, Gene g);
            [Latent] public double w(Cell n, Gene g) => Dist.Gamma(shape(g), shape(g) / mu(n, g));
            [Observed] public int x(Cell n, Gene g) => Dist.Poisson(w(n, g));
            [Observed] public int y(Cell n, Gene g) => Dist.Poisson(2 * w(n, g));
        }
        """;

    [Fact]
    public void AGammaRateWithAnExposure_LeavesANegativeBinomial_OfMeanExposureTimesShapeOverRate()
    {
        var exposed = ModelPipeline.RunOnSource(Models, "Models.cs").Single(r => r.ModelName == "Exposed");

        Assert.DoesNotContain(exposed.Diagnostics, d => d.Id.StartsWith("DSL04", StringComparison.Ordinal));
        var plan = PlanPrinter.Print(exposed.Plans!);
        Assert.Matches(@"likelihood x over Gene \(line \d+\): NegativeBinomial", plan);
        Assert.Contains("mean = exposure(n) * shape(g) / (scale(g) * mu(n, g))", plan);
        Assert.Contains("inverseDispersion = shape(g)", plan);
        Assert.Equal(["w"], exposed.Plans!.Variational.Plan!.IntegratedOut);
        // The declared model is untouched: its graph and simulation still hold w and the Poisson.
        Assert.Contains(exposed.Spec!.Nodes, n => n.Name == "w");
        Assert.Equal("Poisson", exposed.Spec.Nodes.Single(n => n.Name == "x").Declaration.Distribution!.Name);
    }

    [Fact]
    public void AGammaLatentReadByTwoCounts_IsNotIntegratedOut_AndTheRefusalNamesTheRule()
    {
        var twice = ModelPipeline.RunOnSource(Models, "Models.cs").Single(r => r.ModelName == "ReadTwice");

        var refusal = Assert.Single(twice.Diagnostics, d => d.Id == "DSL0402");
        Assert.Contains("node 'w'", refusal.Message);
        Assert.Contains("a Gamma one that a single Poisson count reads as a factor of its rate, at its own entry, is integrated out instead", refusal.Message);
    }
}
