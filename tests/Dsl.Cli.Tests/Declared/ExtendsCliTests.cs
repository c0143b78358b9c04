using System.Globalization;
using Dsl.Tests.Shared;
using Xunit;
using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests.Declared;

/// <summary>A variant in its own file extending a model of another: simulated and fitted with `--with base.cs`.</summary>
public sealed class ExtendsCliTests
{
    private const string Base = """
        using Dsl;

        namespace Examples;

        [PlateModel]
        public partial class Counts
        {
            [Plate] public partial struct Cell { }
            [Plate] public partial struct Gene { }

            [Data] public partial double size(Cell c);
            [Param, Positive] public partial double rate(Gene g);
            [Observed] public int y(Cell c, Gene g) => Dist.Poisson(size(c) * rate(g));
        }
        """;

    private const string Variant = """
        using Dsl;

        namespace Examples;

        [PlateModel(Extends = typeof(Counts))]
        public partial class OverdispersedCounts
        {
            [Param, Positive] public partial double dispersion();
            [Observed] public int y(Cell c, Gene g) => Dist.NegativeBinomial(size(c) * rate(g), dispersion());
        }
        """;

    [Fact]
    public void AVariantWithItsBaseFile_IsSimulatedAndFitted()
    {
        using var temp = new TempFolder();
        var (baseFile, variant) = (temp.File("base.cs", Base), temp.File("variant.cs", Variant));
        var sim = Path.Combine(temp.Path, "sim");
        Assert.Equal(0, RunDsl("simulate", variant, "--with", baseFile, "--plate", "Cell=400", "--plate", "Gene=10", "--set", "size=3", "--set", "dispersion=2",
            "--out", sim).Exit);
        var fit = RunDsl("fit", variant, "--with", baseFile, "--data", Path.Combine(sim, "data.json"), "--out", Path.Combine(temp.Path, "fit"));
        Assert.Equal(0, fit.Exit);
        Assert.Contains("fitting OverdispersedCounts by maximum likelihood", fit.Out);
        var row = File.ReadAllLines(Path.Combine(temp.Path, "fit", "summary.csv")).Single(l => l.StartsWith("dispersion,", StringComparison.Ordinal));
        var dispersion = double.Parse(row.Split(',')[1], CultureInfo.InvariantCulture);
        // 4,000 counts at mean about 3: the MLE of an NB inverse dispersion of 2 has a standard error near 0.2.
        Assert.InRange(dispersion, 1.4, 2.8);
    }

    [Fact]
    public void AVariantWithoutItsBase_IsRefusedNamingDsl0010AndTheFix()
    {
        using var temp = new TempFolder();
        var variant = temp.File("variant.cs", Variant);
        var result = RunDsl("fit", variant, "--data", temp.File("d.json", "{}"), "--out", Path.Combine(temp.Path, "fit"));
        Assert.Equal(1, result.Exit);
        Assert.Contains("error DSL0010: Model 'OverdispersedCounts': Extends = typeof(Counts) names no [PlateModel] class of this compilation", result.Err);
        Assert.Contains("dsl fit variant.cs --with base.cs", result.Err);
    }

    [Fact]
    public void AWithFileThatIsNotThere_IsOneLine()
    {
        using var temp = new TempFolder();
        var result = RunDsl("fit", temp.File("variant.cs", Variant), "--with", "/no/base.cs", "--data", temp.File("d.json", "{}"), "--out", Path.Combine(temp.Path, "fit"));
        Assert.Equal(1, result.Exit);
        Assert.Equal("dsl: --with /no/base.cs: file not found; pass the path of the .cs file declaring the base model", result.Err.Trim());
    }
}
