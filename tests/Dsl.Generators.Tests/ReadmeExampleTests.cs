using System.Text.RegularExpressions;
using Dsl.Tests.Shared;

namespace Dsl.Generators.Tests;

/// <summary>The model in README.md's "Writing a model" compiles cleanly, so the README stays true.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void ReadmeModel_CompilesWithoutDiagnostics()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\r\n", "\n");
        var example = Regex.Matches(readme, @"```csharp\n(.*?)```", RegexOptions.Singleline).Single().Groups[1].Value;

        var run = GeneratorHarness.Run(("Readme.cs", example));

        Assert.Empty(run.Problems.Select(d => d.ToString()));
        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
        Assert.Equal(2, run.Generated.Count);
    }
}
