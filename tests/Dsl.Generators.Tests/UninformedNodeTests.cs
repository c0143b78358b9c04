using Dsl.Tests.Shared;
using Microsoft.CodeAnalysis;

namespace Dsl.Generators.Tests;

/// <summary>
/// A latent or parameter no observation depends on (Ir/DataReach): an extension that overrides the only reader of a
/// base node leaves it there, where the author cannot remove it. It gets DSL0304 or DSL0309 saying so, and the
/// engines fit the rest of the model instead of refusing it over a node nothing needs.
/// </summary>
public sealed class UninformedNodeTests
{
    private const string Plots = """
        using Dsl;
        using static Dsl.Fn;

        namespace Examples;

        [PlateModel]
        public partial class Plots
        {
            [Plate] public partial struct Seed { }
            [Plate] public partial struct Plot { }

            [Data] public partial double dose(Seed s, Plot p);
            [Param] public partial double intercept();
            [Param, Positive] public partial double plotVariance();
            [Param, Positive] public partial double slopeVariance();
            [Latent] public double u(Plot p) => Dist.Normal(0, Sqrt(plotVariance()));
            [Latent] public double w(Plot p) => Dist.Normal(0, Sqrt(slopeVariance()));
            [Observed] public int y(Seed s, Plot p) => Dist.Bernoulli(p: Logistic(intercept() + u(p) + w(p) * dose(s, p)));
        }

        [PlateModel(Extends = typeof(Plots))]
        public partial class OneSlope
        {
            [Param] public partial double slope();
            [Observed] public int y(Seed s, Plot p) => Dist.Bernoulli(p: Logistic(intercept() + u(p) + slope() * dose(s, p)));
        }

        [PlateModel(Extends = typeof(Plots))]
        public partial class NoEffects
        {
            [Param] public partial double slope();
            [Observed] public int y(Seed s, Plot p) => Dist.Bernoulli(p: Logistic(intercept() + slope() * dose(s, p)));
        }
        """;

    private const string Vae = """
        using Dsl;

        namespace Examples;

        [PlateModel]
        public partial class NbVae
        {
            [Plate] public partial struct Cell { }
            [Plate] public partial struct Gene { }
            [Plate] public partial struct Dim { }

            [Param, Positive] public partial double theta(Gene g);
            [Latent, Encoder(Inputs = new[] { nameof(x) }, Hidden = 8, Transform = InputTransform.Log1p)]
            public double z(Cell n, Dim d) => Dist.Normal(0, 1);
            [Network(Inputs = new[] { nameof(z) }, Hidden = 8, Output = Activation.Softplus)]
            public partial double mean(Cell n, Gene g);
            [Observed] public int x(Cell n, Gene g) => Dist.NegativeBinomial(mean(n, g), theta(g));
        }

        [PlateModel(Extends = typeof(NbVae))]
        public partial class PoissonVae
        {
            [Observed] public int x(Cell n, Gene g) => Dist.Poisson(mean(n, g));
        }
        """;

    private static List<Diagnostic> Of(GeneratorRun run, string model) =>
        run.GeneratorDiagnostics.Where(d => d.GetMessage().Contains($"Model '{model}'")).ToList();

    private static string File(GeneratorRun run, string name) => run.Generated.SingleOrDefault(g => g.HintName == $"Examples.{name}.g.cs").Text ?? "";

    [Fact]
    public void ABaseLatentNoLongerRead_IsNamedAtItsLine_AndGibbsEmFitsTheRest()
    {
        var run = GeneratorHarness.Run(("Plots.cs", Plots));

        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
        Assert.Empty(Of(run, "Plots"));
        // OneSlope reads u but not w: w and its variance inform nothing, and each is named at its own line.
        var oneSlope = Of(run, "OneSlope");
        Assert.Equal(["slopeVariance", "w"], oneSlope.Where(d => d.Id == "DSL0309").Select(d => d.GetMessage().Split('\'')[3]).Order());
        Assert.All(oneSlope, d => Assert.Contains("the base model declares it", d.GetMessage()));
        Assert.Equal(2, oneSlope.Count);
        // Gibbs-EM samples u and estimates the rest; neither w nor slopeVariance is touched, and the descriptor says so.
        var gibbs = File(run, "OneSlope.Gibbs");
        Assert.Contains("uState", gibbs);
        Assert.DoesNotContain("wState", gibbs);
        Assert.DoesNotContain("slopeVariance", File(run, "OneSlope.MStep"));
        var binding = File(run, "OneSlope.Binding");
        Assert.Contains("\"w\", global::Dsl.Runtime.Graph.GraphNodeRole.Latent", binding);
        Assert.Single(binding.Split('\n'), l => l.Contains("new(\"w\"") && l.Contains("Informed: false"));
        Assert.Single(binding.Split('\n'), l => l.Contains("new(\"slopeVariance\"") && l.Contains("Informed: false"));
        Assert.DoesNotContain(binding.Split('\n'), l => l.Contains("new(\"u\"") && l.Contains("Informed"));
    }

    [Fact]
    public void WithEveryLatentUnread_ModelIsOneOfParameters_FittedByMaximumLikelihood()
    {
        var run = GeneratorHarness.Run(("Plots.cs", Plots));

        // Without the plot effects nothing continuous is left to sample: no Gibbs-EM, no NUTS, an objective of intercept and slope.
        Assert.Equal(["plotVariance", "slopeVariance", "u", "w"], Of(run, "NoEffects").Select(d => d.GetMessage().Split('\'')[3]).Order());
        Assert.Equal("", File(run, "NoEffects.Gibbs"));
        Assert.Equal("", File(run, "NoEffects.Sampler"));
        Assert.Contains("new string[] { \"intercept\", \"slope\" }", File(run, "NoEffects.Objective"));
    }

    [Fact]
    public void ABaseParameterNoLongerRead_IsLeftOutOfVariationalInference()
    {
        var run = GeneratorHarness.Run(("Vae.cs", Vae));

        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
        // Before, the VI planner refused the model over theta (DSL0402); now only DSL0304 names it, and why it stays.
        var warning = Assert.Single(Of(run, "PoissonVae"));
        Assert.Equal("DSL0304", warning.Id);
        Assert.Contains("parameter 'theta'", warning.GetMessage());
        Assert.Contains("the base model declares it", warning.GetMessage());
        Assert.NotEqual("", File(run, "PoissonVae.Elbo"));
        Assert.DoesNotContain("theta", File(run, "PoissonVae.Gradients"));
        Assert.Contains("theta", File(run, "NbVae.Gradients"));
    }

    [Fact]
    public void AParameterTheModelItselfDeclaresAndNeverReads_IsToldToBeRemoved()
    {
        var run = GeneratorHarness.Run(("Counts.cs", """
            using Dsl;

            namespace Examples;

            [PlateModel]
            public partial class Counts
            {
                [Plate] public partial struct Gene { }
                [Param, Positive] public partial double rate(Gene g);
                [Param, Positive] public partial double spread();
                [Latent] public double unused(Gene g) => Dist.Normal(0, spread());
                [Observed] public int y(Gene g) => Dist.Poisson(rate(g));
            }
            """));

        Assert.Equal(["spread", "unused"], run.GeneratorDiagnostics.Where(d => d.Id == "DSL0309").Select(d => d.GetMessage().Split('\'')[3]).Order());
        Assert.All(run.GeneratorDiagnostics.Where(d => d.Id == "DSL0309"), d => Assert.Contains("remove it, or make an observation depend on it", d.GetMessage()));
        Assert.Contains("new string[] { \"rate\" }", File(run, "Counts.Objective"));
    }

    /// <summary>Every bundled model's nodes all inform its data: the check would be noise if it fired there.</summary>
    [Fact]
    public void NoBundledModel_HasANodeTheDataCannotReach()
    {
        var files = Directory.GetFiles(RepoPaths.Models, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        var run = GeneratorHarness.Run(files.Select(GeneratorHarness.ModelFile).ToArray());

        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "DSL0304" or "DSL0309");
    }
}
