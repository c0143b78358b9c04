using System.Globalization;
using System.Text.Json;
using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests.Sampling;

/// <summary>
/// Stan's reference posteriors (posteriordb): each declaration in tests/posteriordb fitted by `dsl fit` at its
/// defaults (4 chains of 1,000 draws after 1,000 warm-up), every parameter held to the issue's bar.
/// </summary>
public sealed class PosteriordbTests
{
    [Theory]
    [MemberData(nameof(GeneratedGradientTests.Posteriordb), MemberType = typeof(GeneratedGradientTests))]
    public void DefaultFit_MatchesTheReferencePosterior(string folder)
    {
        using var temp = new TempFolder();
        var fixture = RepoPaths.PosteriordbFixture(folder);
        var result = RunDsl("fit", RepoPaths.PosteriordbModel(folder), "--data", Path.Combine(fixture, "data.json"), "--out", temp.Path, "--quiet");
        Assert.True(result.Exit == 0, result.Err);
        var rows = File.ReadAllLines(Path.Combine(temp.Path, "summary.csv"));
        var header = rows[0].Split(',');
        var fitted = rows.Skip(1).Select(r => r.Split(',')).ToDictionary(r => r[0], r => r);
        double Column(string[] row, string name) => double.Parse(row[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture, "reference.json")));
        foreach (var parameter in reference.RootElement.EnumerateObject())
        {
            Assert.True(fitted.TryGetValue(parameter.Name, out var row), $"{parameter.Name} is not in summary.csv");
            var (mean, sd) = (parameter.Value.GetProperty("mean").GetDouble(), parameter.Value.GetProperty("sd").GetDouble());
            // The issue's acceptance bar: the mean within 0.1 reference sd plus 4 MCSE of the fit's own estimate, the sd within 10 %.
            var bar = 0.1 * sd + 4 * Column(row, "mcse");
            Assert.True(Math.Abs(Column(row, "mean") - mean) <= bar, $"{parameter.Name}: mean {Column(row, "mean")}, reference {mean} ± {bar}");
            Assert.True(Math.Abs(Column(row, "sd") / sd - 1) <= 0.1, $"{parameter.Name}: sd {Column(row, "sd")}, reference {sd}");
            Assert.True(Column(row, "rhat") < 1.01, $"{parameter.Name}: R-hat {Column(row, "rhat")}");
        }
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "summary.json")));
        Assert.Equal("NUTS", summary.RootElement.GetProperty("engine").GetString());
        Assert.Equal(4000, summary.RootElement.GetProperty("draws").GetInt32());
    }
}
