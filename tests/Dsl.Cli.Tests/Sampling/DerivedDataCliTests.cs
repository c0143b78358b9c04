using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests.Sampling;

/// <summary>
/// Nodes a declaration computes from its data (Stan's transformed data) are computed when the fit first reads them;
/// data for which they are undefined are refused in one line naming the node, its line, the entry and what it reads.
/// </summary>
public sealed class DerivedDataCliTests
{
    [Fact]
    public void AStandardisedCovariateOfConstantData_IsRefusedInOneLine()
    {
        using var temp = new TempFolder();
        const string folder = "earnings-logearn_interaction_z";
        var data = File.ReadAllText(Path.Combine(RepoPaths.PosteriordbFixture(folder), "data.json"));
        // Every height the same: the sd is 0, so z = (height - mean) / sd is 0 / 0.
        var bad = temp.File("data.json", System.Text.RegularExpressions.Regex.Replace(data, @"(""height""\s*:\s*\[)[^\]]*\]",
            m => m.Groups[1].Value + string.Join(", ", Enumerable.Repeat("66", 1192)) + "]"));
        var result = RunDsl("fit", RepoPaths.PosteriordbModel(folder), "--data", bad, "--out", Path.Combine(temp.Path, "fit"), "--quiet");
        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.Err.Trim().Split('\n'));
        Assert.StartsWith($"dsl: {bad}: zHeight (line 18), computed from the data, is NaN at entry [0]", line);
        Assert.EndsWith("check the data it reads (height, meanHeight, sdHeight)", line);
    }

    [Fact]
    public void AShiftedIndexPastItsPlate_IsRefusedInOneLine()
    {
        using var temp = new TempFolder();
        var model = temp.File("Shifted.cs", """
            using Dsl;
            using static Dsl.Fn;

            namespace Examples;

            [PlateModel]
            public partial class Shifted
            {
                [Plate] public partial struct N { }
                [Plate] public partial struct K { }
                [Plate(Size = 3)] public partial struct Kc { }
                [Data] public partial double X(N n, K k);
                public K column(Kc k) => new K(k.Value + 1);
                [Latent] public double beta(Kc k) => Dist.Normal(0, 1);
                [Observed] public double y(N n) => Dist.Normal(Sum((Kc k) => X(n, column(k)) * beta(k)), 1);
            }
            """);
        // X has 3 columns, so K is 0..2 and column(2) = 3 lies past it.
        var data = temp.File("data.json", """{ "X": [[1, 0.5, 2], [1, -0.5, 1]], "y": [0.3, -0.2] }""");
        var result = RunDsl("fit", model, "--data", data, "--out", Path.Combine(temp.Path, "fit"), "--quiet");
        Assert.Equal(1, result.Exit);
        Assert.Equal($"dsl: {data}: column (line 13) is position 3 of plate K at entry [2], but K has positions 0 to 2; " +
            "check the plate sizes: every entry of column must land on one of K's (a shift by one needs K one larger than the plate it ranges over)", result.Err.Trim());
    }
}
