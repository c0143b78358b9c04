using Microsoft.CodeAnalysis;

namespace Dsl.Generators.Tests;

/// <summary>Exact columns and message content for representative diagnostics (the doc tests check lines).</summary>
public sealed class DiagnosticLocationTests
{
    private const string Prefix = """
        using Dsl;
        namespace T;
        [PlateModel]
        public partial class M
        {
            [Plate] public partial struct Cell { }
            [Plate] public partial struct Gene { }

        """;

    private static Diagnostic Single(string body, string id)
    {
        var run = GeneratorHarness.Run(("M.cs", Prefix + body + "}\n"));
        return Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);
    }

    private static (int Line, int Column) Start(Diagnostic diagnostic)
    {
        var start = diagnostic.Location.GetLineSpan().StartLinePosition;
        return (start.Line + 1, start.Character + 1);
    }

    [Fact]
    public void IndexOutsidePlate_PointsAtTheArgument_AndNamesBothPlates()
    {
        var diagnostic = Single("""
                [Param, Positive] public partial double rate(Gene g);
                [Observed] public int y(Cell c, Gene g) => Dist.Poisson(rate(c));

            """, "DSL0102");

        Assert.Equal((9, 66), Start(diagnostic));
        Assert.Contains("'rate' must index plate 'Gene', but 'c' ranges over 'Cell'", diagnostic.GetMessage());
    }

    [Fact]
    public void UnknownPlate_PointsAtTheParameter_AndListsThePlates()
    {
        var diagnostic = Single("""
                [Param, Positive] public partial double rate(Gene g);
                [Observed] public int y(Cell c, Sample g) => Dist.Poisson(rate(g));

            """, "DSL0101");

        Assert.Equal((9, 37), Start(diagnostic));
        Assert.Contains("use one of: Cell, Gene", diagnostic.GetMessage());
    }

    [Fact]
    public void ArgumentSupport_PointsAtTheArgument_AndSaysTheRequirement()
    {
        var diagnostic = Single("""
                [Latent] public double z(Cell c) => Dist.Normal(0, -2.5);
                [Observed] public int y(Cell c, Gene g) => Dist.Poisson(Fn.Exp(z(c)));

            """, "DSL0204");

        Assert.Equal((8, 56), Start(diagnostic));
        Assert.Contains("argument 'sd' is -2.5 but must be positive", diagnostic.GetMessage());
    }

    [Fact]
    public void Cycle_NamesThePath()
    {
        var diagnostic = Single("""
                public double a(Cell c) => b(c) + 1;
                public double b(Cell c) => Fn.Exp(a(c));
                [Observed] public int y(Cell c, Gene g) => Dist.Poisson(a(c));

            """, "DSL0302");

        // Reported where the cycle closes: b reads a, which reads b.
        Assert.Equal(9, Start(diagnostic).Line);
        Assert.Contains("'b' depends on itself through b -> a -> b", diagnostic.GetMessage());
    }

    [Fact]
    public void IndexIntoPlate_FromIndexValuedData_IsAccepted()
    {
        // URSM's A(i, G(l)): a data node valued in a plate indexes that plate.
        var run = GeneratorHarness.Run(("M.cs", Prefix + """
                [Plate] public partial struct Type { }
                [Data] public partial Type G(Cell c);
                [Param, Simplex(nameof(Gene))] public partial double A(Gene g, Type k);
                [Observed] public int y(Cell c, Gene g) => Dist.Multinomial(over: g, p: A(g, G(c)));
            }

            """));

        // Accepted, and fitted by maximum likelihood (a model of parameters only): no diagnostic at all.
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.Generated, g => g.HintName.EndsWith(".Objective.g.cs", StringComparison.Ordinal));
        Assert.Empty(run.OutputDiagnostics);
    }

    [Fact]
    public void IndexIntoPlate_FromWrongPlate_IsRejected()
    {
        var run = GeneratorHarness.Run(("M.cs", Prefix + """
                [Plate] public partial struct Type { }
                [Data] public partial Type G(Cell c);
                [Param, Simplex(nameof(Gene))] public partial double A(Gene g, Type k);
                [Observed] public int y(Cell c, Gene g) => Dist.Multinomial(over: g, p: A(G(c), g));
            }

            """));

        var messages = run.GeneratorDiagnostics.Where(d => d.Id == "DSL0102").Select(d => d.GetMessage()).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Contains("argument 1 of 'A' must index plate 'Gene', but 'G(...)' ranges over 'Type'"));
        Assert.Contains(messages, m => m.Contains("argument 2 of 'A' must index plate 'Type', but 'g' ranges over 'Gene'"));
    }

    [Fact]
    public void ModelWithAnError_StillGetsItsStorage_SoNoPartialMethodIsLeftUnimplemented()
    {
        var run = GeneratorHarness.Run(("M.cs", Prefix + """
                [Param, Positive] public partial double rate(Gene g);
                [Data] public partial double size(Cell c);
                [Observed] public int y(Cell c, Gene g) => Dist.Poisson(rate(c) * size(c));
            }

            """));

        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "DSL0102");
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id == "CS8795");
    }

    /// <summary>A VAE that VI can fit; each case below changes one line of it so that no VI rule applies.</summary>
    private const string Vae = """
            [Plate] public partial struct Dim { }
            [Latent, Encoder(Inputs = new[] { nameof(y) }, Hidden = 4)]
            public double z(Cell c, Dim d) => Dist.Normal(0, 1);
            [Network(Inputs = new[] { nameof(z) }, Hidden = 4, Output = Activation.Softmax)]
            public partial double rho(Cell c, Gene g);
            [Observed] public int y(Cell c, Gene g) => Dist.Poisson(10 * rho(c, g));

        """;

    [Theory]
    [InlineData("Dist.Normal(0, 1);", "Dist.Normal(0, Sum((Gene g) => w(g))); [Data] public partial double w(Gene g);", "its prior's arguments may not contain Sum here")]
    [InlineData("[Latent, Encoder(Inputs = new[] { nameof(y) }, Hidden = 4)]", "[Latent]", "needs an [Encoder] for variational inference")]
    [InlineData("Dist.Poisson(10 * rho(c, g))", "Dist.Poisson(Sum((Gene h) => rho(c, h) * rho(c, g)))", "argument 'rate' holds a Sum that reads the row's item g")]
    [InlineData("Dist.Poisson(10 * rho(c, g))", "Dist.Poisson(w() * rho(c, g)); [Param, Positive] public double w() => Dist.HalfFlat()", "a [Param] with a Dist.HalfFlat prior: variational inference adds the log priors of Normal")]
    [InlineData("Dist.Poisson(10 * rho(c, g))", "Dist.Poisson(w() * rho(c, g)); [Param, Positive] public double w() => Dist.Gamma(2, Sum((Gene g) => v(g))); [Data] public partial double v(Gene g)", "its prior's argument 'rate' may read constants, data, parameters and other global latents only (no Sum)")]
    [InlineData("Dist.Poisson(10 * rho(c, g))", "Dist.Poisson(10 * rho(c, g) * s(g)); [Param, Simplex(nameof(Gene))] public double s(Gene g) => Dist.Gamma(2, 1)", "a [Simplex] parameter's prior must be a Dirichlet over its simplex's plate Gene, not Dist.Gamma")]
    [InlineData("Dist.Poisson(10 * rho(c, g))", "Dist.Poisson(10 * rho(c, g) * s(g)); [Param, Positive] public partial double a(); [Param, Simplex(nameof(Gene))] public double s(Gene g) => Dist.Dirichlet(over: g, a())", "its Dirichlet prior's concentration reads a parameter or a latent")]
    public void VariationalRefusal_NamesTheNodeAndWhy(string line, string replacement, string why)
    {
        Assert.Contains(line, Vae);
        var run = GeneratorHarness.Run(("M.cs", Prefix + Vae.Replace(line, replacement) + "}\n"));

        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "DSL0402");
        Assert.Contains(why, diagnostic.GetMessage());
        Assert.Contains("cannot be fitted by variational inference", diagnostic.GetMessage());
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "DSL0901");
    }
    /// <summary>An [Adversarial] latent needs partners on other cell plates: alone on one plate it is refused, at its line.</summary>
    [Fact]
    public void AdversarialLatent_WithoutASecondCellPlate_IsRefused()
    {
        var vae = Vae.Replace("[Latent, Encoder(Inputs = new[] { nameof(y) }, Hidden = 4)]", "[Latent, Encoder(Inputs = new[] { nameof(y) }, Hidden = 4), Adversarial(\"modality\")]");
        var run = GeneratorHarness.Run(("M.cs", Prefix + vae + "}\n"));

        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "DSL0402");
        Assert.Contains("adversarial group 'modality' needs one latent on each of at least two cell plates", diagnostic.GetMessage());
    }

    /// <summary>A network's sizes are checked where they are declared: Layers may be 0 (linear), never negative.</summary>
    [Fact]
    public void NegativeLayers_IsAnErrorAtTheAttribute()
    {
        var vae = Vae.Replace("[Network(Inputs = new[] { nameof(z) }, Hidden = 4, Output = Activation.Softmax)]", "[Network(Inputs = new[] { nameof(z) }, Hidden = 4, Layers = -1, Output = Activation.Softmax)]");
        var run = GeneratorHarness.Run(("M.cs", Prefix + vae + "}\n"));

        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "DSL0305");
        Assert.Contains("give Layers ≥ 0", diagnostic.GetMessage());
    }

    /// <summary>Issue 22's false warnings: a plate used only as a node's value type is used; "never used" is not repeated after an error.</summary>
    [Fact]
    public void PlateUsedOnlyAsAValueType_IsNotUnused()
    {
        var run = GeneratorHarness.Run(("M.cs", Prefix + """
                [Plate] public partial struct Batch { }
                [Data] public partial Batch s(Cell c);
                [Param, Positive] public partial double rate(Gene g);
                [Observed] public int y(Cell c, Gene g) => Dist.Poisson(rate(g));
            }

            """));

        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "DSL0105");
    }

    [Fact]
    public void AfterABodyThatCannotBeRead_AParameterIsNotAlsoReportedAsNeverUsed()
    {
        var run = GeneratorHarness.Run(("M.cs", Prefix + """
                [Param, Positive] public partial double rate(Gene g);
                [Observed] public int y(Cell c, Gene g) => Dist.Poisson(rate(g) + c.ToString().Length);
            }

            """));

        Assert.Contains(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "DSL0304");
    }

    [Fact]
    public void ACycleThroughADeterministicNode_SuggestsDeclaringItData()
    {
        var diagnostic = Single("""
                [Param, Positive] public partial double rate(Gene g);
                public double total(Cell c) => Sum((Gene g) => y(c, g));
                [Observed] public int y(Cell c, Gene g) => Dist.Poisson(rate(g) * total(c));

            """, "DSL0302");

        Assert.Contains("'total' is deterministic: if it is computed from the data, declare it [Data]", diagnostic.GetMessage());
    }
    /// <summary>A scale made of constants is folded before its support is checked: 0.5 - 1 is negative, Sqrt(-1) is NaN.</summary>
    [Theory]
    [InlineData("0.5 - 1", "-0.5")]
    [InlineData("Sqrt(-1)", "NaN")]
    [InlineData("Exp(1) - 3", "-0.28171817154095")]
    public void AScaleThatFoldsToAConstantOutsideItsSupport_IsReported(string scale, string value)
    {
        var diagnostic = Single($$"""
                [Latent] public double z(Cell c) => Dist.Normal(0, {{scale}});
                [Observed] public int y(Cell c, Gene g) => Dist.Poisson(Fn.Exp(z(c)));

            """, "DSL0204");

        Assert.Contains(value, diagnostic.GetMessage());
    }
    [Fact]
    public void AMultinomialOverOnePlate_WithASimplexOverAnother_IsReportedAtTheArgument()
    {
        var diagnostic = Single("""
                [Param, Simplex(nameof(Gene))] public partial double share(Cell c, Gene g);
                [Observed] public int y(Cell c, Gene g) => Dist.Multinomial(over: c, p: share(c, g));

            """, "DSL0201");

        Assert.Contains("'share' is a simplex over Gene", diagnostic.GetMessage());
        Assert.Equal(9, Start(diagnostic).Line);
    }
}
