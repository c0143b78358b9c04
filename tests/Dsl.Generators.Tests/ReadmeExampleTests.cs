using System.Text.RegularExpressions;
using Dsl.Tests.Shared;

namespace Dsl.Generators.Tests;

/// <summary>
/// The model in README.md's "Writing a model" compiles, and, as the README says, no engine fits it yet: the checker
/// says so with a warning at the latent that stops Gibbs-EM (before, it got no diagnostic and no code).
/// </summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void ReadmeModel_Compiles_AndItsMissingInferenceIsAWarningAtTheLatent()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\r\n", "\n");
        var example = Regex.Matches(readme, @"```csharp\n(.*?)```", RegexOptions.Singleline).Single().Groups[1].Value;

        var run = GeneratorHarness.Run(("Readme.cs", example));

        Assert.Empty(run.ProblemsBesidesPlanning.Select(d => d.ToString()));
        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
        var warning = Assert.Single(run.Problems);
        Assert.Equal("DSL0401", warning.Id);
        Assert.Contains("node 'z'", warning.GetMessage());
        // Storage, graph and binding (so it can be simulated), and no inference code.
        Assert.Equal(3, run.Generated.Count);
    }
}
