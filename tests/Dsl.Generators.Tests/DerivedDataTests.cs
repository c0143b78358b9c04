using Microsoft.CodeAnalysis;

namespace Dsl.Generators.Tests;

/// <summary>
/// Nodes computed from data alone (Ir/DerivedData, Stan's transformed data): a standardised covariate, a design's
/// shifted columns, a time trend. They are stored and read as data, computed once, never inlined into the samplers'
/// loops; plate positions (k.Value, new K(...)) are allowed there and nowhere else (DSL0110).
/// </summary>
public sealed class DerivedDataTests
{
    private const string Standardised = """
        using Dsl;
        using static Dsl.Fn;

        namespace Examples;

        [PlateModel]
        public partial class Standardised
        {
            [Plate] public partial struct N { }
            [Plate] public partial struct K { }
            [Plate] public partial struct Kc { }

            [Data] public partial double height(N n);
            [Data] public partial double X(N n, K k);
            public double meanHeight() => Sum((N m) => height(m)) / Size<N>();
            public double sdHeight() => Sqrt(Sum((N m) => (height(m) - meanHeight()) * (height(m) - meanHeight())) / (Size<N>() - 1));
            public double z(N n) => (height(n) - meanHeight()) / sdHeight();
            public K column(Kc k) => new K(k.Value + 1);
            public double Xc(N n, Kc k) => X(n, column(k));
            public double trend(N n) => n.Value;
            [Latent] public double a() => Dist.Normal(0, 5);
            [Latent] public double b() => Dist.Normal(0, 5);
            [Latent] public double c() => Dist.Normal(0, 5);
            [Latent] public double beta(Kc k) => Dist.Normal(0, 1);
            [Latent] public double sigma() => Dist.HalfNormal(1);
            public double mu(N n) => a() + b() * z(n) + c() * trend(n) + Sum((Kc k) => Xc(n, k) * beta(k));
            [Observed] public double y(N n) => Dist.Normal(mu(n), sigma());
        }
        """;

    private static string File(GeneratorRun run, string name) => run.Generated.SingleOrDefault(g => g.HintName == $"Examples.{name}.g.cs").Text ?? "";

    [Fact]
    public void NodesOfDataAlone_AreComputedOnce_AndTheSamplerReadsTheirValues()
    {
        var run = GeneratorHarness.Run(("Standardised.cs", Standardised));

        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        var sampler = File(run, "Standardised.Sampler");
        // The log density reads z's stored values: no sum over N is left inside it (it would cost N per read, N² per evaluation).
        Assert.Contains("model.zValues", sampler);
        Assert.Contains("model.XcValues", sampler);
        Assert.DoesNotContain("Simulation.Sum", sampler);
        Assert.DoesNotContain("heightValues[", sampler);
        // mu reads a latent, so it is not derived: it is inlined as before.
        Assert.DoesNotContain("muValues", sampler);
        var binding = File(run, "Standardised.Binding");
        // Each derived node is computed in dependency order, checked, and described to the binder as deterministic (no data file gives it).
        var derive = binding.IndexOf("private void EnsureDerived()", StringComparison.Ordinal);
        int At(string node) => binding.IndexOf($" {node}Derived =", derive, StringComparison.Ordinal);
        Assert.All(new[] { "meanHeight", "sdHeight", "z", "column", "Xc", "trend" }, node => Assert.True(At(node) > 0, node));
        Assert.True(At("meanHeight") < At("sdHeight") && At("sdHeight") < At("z") && At("column") < At("Xc"));
        Assert.Contains("DerivedValues.RequireEntries(\"column\"", binding);
        Assert.Contains("DerivedValues.RequireFinite(\"z\"", binding);
        Assert.Contains("new(\"z\", global::Dsl.Runtime.Graph.GraphNodeRole.Deterministic", binding);
        Assert.DoesNotContain("case \"z\": zValues =", binding);
        // Setting a data node marks the derived ones stale.
        Assert.Contains("set { heightStored = value; derivedStale = true; }", File(run, "Standardised.Storage"));
    }

    [Fact]
    public void APlatePositionOutsideANodeOfDataAlone_IsRefused_WithTheFix()
    {
        var run = GeneratorHarness.Run(("Trend.cs", """
            using Dsl;

            namespace Examples;

            [PlateModel]
            public partial class Trend
            {
                [Plate] public partial struct Year { }
                [Latent] public double slope() => Dist.Normal(0, 1);
                [Observed] public double y(Year t) => Dist.Normal(slope() * t.Value, 1);
            }
            """));

        var error = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "DSL0110");
        Assert.Contains("node 'y': 't.Value' computes with a plate position", error.GetMessage());
        Assert.Equal(9, error.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void SizeOfAPlate_IsNotTakenForASumThatForgotItsIndex()
    {
        var run = GeneratorHarness.Run(("Mean.cs", """
            using Dsl;
            using static Dsl.Fn;

            namespace Examples;

            [PlateModel]
            public partial class Mean
            {
                [Plate] public partial struct N { }
                [Data] public partial double x(N n);
                public double centred(N n) => x(n) - Sum((N m) => x(m)) / Size<N>();
                public double wrong(N n) => x(n) - Sum((N m) => x(n));
                [Latent] public double b() => Dist.Normal(0, 1);
                [Observed] public double y(N n) => Dist.Normal(b() * centred(n) + wrong(n), 1);
            }
            """));

        // The Sum that never reads m is still an error, and its message offers Size<N>(); Size<N>() itself is not.
        var error = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "DSL0106");
        Assert.Contains("node 'wrong'", error.GetMessage());
        Assert.Contains("or write Size<N>() for the number of entries of 'N'", error.GetMessage());
    }

    [Fact]
    public void SizeInsideALikelihood_IsThePlatesSize_NotALoopPerElement()
    {
        var run = GeneratorHarness.Run(("SizeIn.cs", """
            using Dsl;
            using static Dsl.Fn;

            namespace Examples;

            [PlateModel]
            public partial class SizeIn
            {
                [Plate] public partial struct N { }
                [Data] public partial double x(N n);
                [Latent] public double b() => Dist.Normal(0, 1);
                [Latent] public double s() => Dist.HalfNormal(1);
                [Observed] public double y(N n) => Dist.Normal(b() * x(n), s() * Sqrt(Size<N>()) / 10);
            }
            """));

        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
        var sampler = File(run, "SizeIn.Sampler");
        // Summed as written, Size<N>() would be a loop over N inside the loop over N: N² per evaluation.
        Assert.Contains("global::System.Math.Sqrt(((double)NCount))", sampler);
        Assert.DoesNotContain("+= 1.0", sampler);
    }

    [Fact]
    public void AShiftedIndexInALikelihood_IsOneError_AndASumOfPositionsUsesItsIndex()
    {
        var run = GeneratorHarness.Run(("Shift.cs", """
            using Dsl;
            using static Dsl.Fn;

            namespace Examples;

            [PlateModel]
            public partial class Shift
            {
                [Plate] public partial struct N { }
                [Plate] public partial struct K { }
                [Data] public partial double x(N n, K k);
                public double meanPosition() => Sum((N m) => m.Value) / Size<N>();
                [Latent] public double b() => Dist.Normal(0, 1);
                [Observed] public double y(N n) => Dist.Normal(b() * x(n, new K(n.Value + 1)) + meanPosition(), 1);
            }
            """));

        // new K(n.Value + 1) is named once, whole, not again for the n.Value inside it; m.Value reads the Sum's index.
        var error = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "DSL0110");
        Assert.Contains("'new K(n.Value + 1)'", error.GetMessage());
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "DSL0106");
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id == "CS0414");
    }
}
