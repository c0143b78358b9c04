using Dsl.Cli.Declared;
using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests.Declared;

/// <summary>`dsl simulate model.cs`, then `dsl fit model.cs` on what it wrote, and the two folders' tables read back.</summary>
internal static class SimulatedFit
{
    public static Dictionary<string, double> Truth(string folder) => NamedRows.Column(Path.Combine(folder, "truth.csv"), 1);

    public static Dictionary<string, double[]> Summary(string folder) => NamedRows.Numbers(Path.Combine(folder, "summary.csv"));

    /// <summary>Positions in a summary row (after its name) of the 5 % and 95 % quantiles and R-hat.</summary>
    public static readonly int Q5 = Array.IndexOf(DeclaredOutputWriter.SummaryColumns, "q5"), Q95 = Array.IndexOf(DeclaredOutputWriter.SummaryColumns, "q95"),
        RHat = Array.IndexOf(DeclaredOutputWriter.SummaryColumns, "rhat");

    public static (string Sim, string Fit) SimulateAndFit(TempFolder temp, string model, string[] simulate, string[] fit)
    {
        var sim = Path.Combine(temp.Path, "sim");
        var simulated = RunDsl(["simulate", model, .. simulate, "--out", sim]);
        Assert.True(simulated.Exit == 0, simulated.Err);
        var fitted = Path.Combine(temp.Path, "fit");
        var result = RunDsl(["fit", model, "--data", Path.Combine(sim, "data.json"), "--out", fitted, "--quiet", .. fit]);
        Assert.True(result.Exit == 0, result.Err);
        return (sim, fitted);
    }
}
