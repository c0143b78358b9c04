using Dsl.Tests.Shared;
using Xunit;
using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests.Estimation;

/// <summary>`dsl fit model.cs` on a model of parameters only: the engine it names, the predictions it writes, and a mask of the wrong shape refused in one line.</summary>
public sealed class PointEstimationCliTests
{
    private const string Matrix = "cell,g1,g2,g3\nc1,1,0,2\nc2,0,3,1\nc3,2,1,0\nc4,1,1,1\n";

    /// <summary>ThreeLayers at widths 2, 2, 1 with x.csv as the observation and the given mask.</summary>
    private static (int Exit, string Out, string Err) Fit(TempFolder temp, string maskText)
    {
        var (x, mask) = (temp.File("x.csv", Matrix), temp.File("mask.csv", maskText));
        return RunDsl("fit", RepoPaths.Estimation, "--model", "ThreeLayers", "--data", $"x={x}", "--data", $"measured={mask}",
            "--plate", "Wide=2", "--plate", "Middle=2", "--plate", "Narrow=1", "--out", Path.Combine(temp.Path, "out"));
    }

    [Fact]
    public void MaskedFactorisation_IsFittedByMaximumLikelihood_AndPredictsEveryEntry()
    {
        using var temp = new TempFolder();
        var result = Fit(temp, "cell,g1,g2,g3\nc1,1,0,1\nc2,0,1,1\nc3,1,1,0\nc4,1,1,1\n");
        Assert.Equal(0, result.Exit);
        Assert.Contains("fitting ThreeLayers by maximum likelihood", result.Out);
        var expected = File.ReadAllLines(Path.Combine(temp.Path, "out", "nodes", "x_expected.csv"));
        Assert.Equal(["Cell\\Gene,g1,g2,g3"], expected.Take(1));
        Assert.Equal(5, expected.Length);
    }

    [Fact]
    public void MaskOfTheWrongShape_IsOneLine()
    {
        using var temp = new TempFolder();
        var result = Fit(temp, "cell,g1,g2\nc1,1,0\nc2,0,1\nc3,1,1\nc4,1,1\n");
        Assert.Equal(1, result.Exit);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(Path.Combine(temp.Path, "mask.csv"), result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }
}
