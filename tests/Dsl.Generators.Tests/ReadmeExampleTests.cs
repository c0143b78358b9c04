using System.Text.RegularExpressions;
using Dsl.Tests.Shared;

namespace Dsl.Generators.Tests;

/// <summary>
/// The model in README.md's "Writing a model" compiles without a diagnostic and, as the README says, is fitted by
/// NUTS: no Gibbs-EM rule claims its Normal random effect inside a Poisson log link, so the generator emits the
/// gradient-based sampler (its rates point-estimated beside the sampled effects).
/// </summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void ReadmeModel_Compiles_AndIsSampledByNuts()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\r\n", "\n");
        var example = Regex.Matches(readme, @"```csharp\n(.*?)```", RegexOptions.Singleline).Single().Groups[1].Value;

        var run = GeneratorHarness.Run(("Readme.cs", example));

        Assert.Empty(run.ProblemsBesidesPlanning.Select(d => d.ToString()));
        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
        Assert.Empty(run.Problems.Select(d => d.ToString()));
        // Storage, graph, binding and the sampler, and no Gibbs-EM code.
        Assert.Equal(["Counts.Binding.g.cs", "Counts.Graph.g.cs", "Counts.Sampler.g.cs", "Counts.Storage.g.cs"], run.Generated.Select(g => g.HintName).Order());
    }
}
