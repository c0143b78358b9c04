using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests.Declared;

/// <summary>
/// A data node's valid values follow from how the declaration reads it, not only when it is a distribution's whole
/// argument: inside Log it must be positive, and as a factor of a rate e·λ it shares the rate's support. The binder
/// refuses a value outside that in one line naming the use, and a simulation draws its default inside it.
/// </summary>
public sealed class DataUseSupportTests
{
    private const string Model = """
        using Dsl;
        using static Dsl.Fn;

        [PlateModel("Poisson regression with a log offset and a scaled rate")]
        public partial class Offsets
        {
            [Plate] public partial struct Obs { }
            [Data] public partial double exposure(Obs i);
            [Data] public partial double weight(Obs i);
            [Latent] public double alpha() => Dist.Normal(0, 2);
            [Latent] public double rate() => Dist.Gamma(2, 1);
            [Observed] public int y(Obs i) => Dist.Poisson(Exp(Log(exposure(i)) + alpha()));
            [Observed] public int z(Obs i) => Dist.Poisson(weight(i) * rate());
        }
        """;

    [Fact]
    public void ADataNodeReadInsideLog_DefaultsToAPositiveDraw_InASimulation()
    {
        using var temp = new TempFolder();
        var model = temp.File("Offsets.cs", Model);
        var result = RunDsl("simulate", model, "--plate", "Obs=50", "--seed", "1", "--out", Path.Combine(temp.Path, "sim"));
        // Before, exposure was drawn from Normal(0, 1), and Log of a negative draw stopped the simulation on a NaN rate.
        Assert.Equal(0, result.Exit);
        Assert.Contains("exposure: drawn from LogNormal(0, 0.5)", result.Err);
        Assert.Contains("weight: drawn from LogNormal(0, 0.5)", result.Err);
    }

    /// <summary>
    /// A weight normalised inside a multinomial's probabilities (URSM's profile in p_i = w_i·s_i / Σ_n w_n·s_n) must not
    /// be negative: before, a simulation drew it from Normal(0, 1) and its fit mixed signs inside a probability.
    /// </summary>
    [Fact]
    public void AWeightNormalisedInAProbability_IsNonNegative_InASimulationAndTheBinder()
    {
        using var temp = new TempFolder();
        var model = temp.File("Switched.cs", """
            using Dsl;
            using static Dsl.Fn;

            [PlateModel("Multinomial entries switched off")]
            public partial class Switched
            {
                [Plate] public partial struct Gene { }
                [Plate] public partial struct Cell { }
                [Data] public partial double profile(Gene i);
                [Latent] public double level(Cell l) => Dist.Normal(3, 0.5);
                [Latent] public int on(Gene i, Cell l) => Dist.Bernoulli(p: Logistic(level(l)));
                [Observed] public int count(Gene i, Cell l) => Dist.Multinomial(over: i, p: profile(i) * on(i, l) / Sum((Gene n) => profile(n) * on(n, l)));
            }
            """);
        var simulated = RunDsl("simulate", model, "--plate", "Gene=8", "--plate", "Cell=5", "--seed", "1", "--out", Path.Combine(temp.Path, "sim"));
        Assert.True(simulated.Exit == 0, simulated.Err);
        Assert.Contains("profile: drawn from LogNormal(0, 0.5)", simulated.Err);
        var data = temp.File("data.json", """{"profile": [1, -1], "count": [[3, 0], [0, 2]]}""");
        var refused = RunDsl("fit", model, "--data", data, "--out", Path.Combine(temp.Path, "fit"), "--quiet");
        Assert.Equal(1, refused.Exit);
        Assert.Equal($"dsl: {data}: profile[2] is -1, but profile is a weight normalised in the p of count (line 12), which must be of 0 or more; give values of 0 or more", refused.Err.Trim());
    }

    [Theory]
    [InlineData("exposure", "the argument of Log in y (line 12), which must be positive; give values above 0")]
    [InlineData("weight", "a factor of the rate of z (line 13), which must be of 0 or more; give values of 0 or more")]
    public void ANegativeValue_IsRefusedInOneLine_NamingTheUse(string node, string use)
    {
        using var temp = new TempFolder();
        var model = temp.File("Offsets.cs", Model);
        var other = node == "exposure" ? "weight" : "exposure";
        var data = temp.File("data.json", $$"""{"{{node}}": [1, -1, 2], "{{other}}": [1, 1, 1], "y": [1, 0, 3], "z": [2, 1, 0]}""");
        var result = RunDsl("fit", model, "--data", data, "--out", Path.Combine(temp.Path, "fit"), "--quiet");
        Assert.Equal(1, result.Exit);
        Assert.Equal($"dsl: {data}: {node}[2] is -1, but {node} is {use}", result.Err.Trim());
    }
}
